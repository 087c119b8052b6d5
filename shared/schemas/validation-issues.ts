import type {z} from 'zod';

/** One reason a document was refused, in plain words. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `hardware.acceleratorCount`. */
  readonly field: string;
  /** What was wrong and what is allowed. */
  readonly problem: string;
}

/** Turns zod issues into field-named, plain-language reasons. */
export function describeIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(document)',
    problem: describeProblem(issue),
  }));
}

// One sentence per issue: what was found, what is allowed.
function describeProblem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // Without reportInput the input is absent; the message still says.
      const received = issue.input === undefined
        ? /received (\w+)/.exec(issue.message)?.[1] ?? 'undefined'
        : typeName(issue.input);
      return received === 'undefined'
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${received}` + shown(issue.input);
    }
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}` +
        (issue.input === undefined ? '' : `; got${shown(issue.input)}`);
    case 'unrecognized_keys':
      return `has unknown field(s): ${issue.keys.join(', ')}; remove ` +
        'them or check their spelling';
    case 'too_small':
      return `must be ${bound(issue, 'small')}` + got(issue.input);
    case 'too_big':
      return `must be ${bound(issue, 'big')}` + got(issue.input);
    case 'invalid_format':
      if (issue.format === 'datetime' && /^Invalid/.test(issue.message)) {
        return 'must be an RFC 3339 date-time with a UTC offset, e.g. ' +
          '2022-06-01T12:00:00Z' + got(issue.input);
      }
      return /^Invalid/.test(issue.message)
        ? `must be a valid ${issue.format}` + got(issue.input)
        : issue.message + (typeof issue.input === 'string'
          ? `; got${shown(issue.input)}` : '');
    default:
      return issue.message;
  }
}

// "at least 1", "> 0", "at most 16 characters".
function bound(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  side: 'small' | 'big',
): string {
  const limit = 'minimum' in issue ? issue.minimum : issue.maximum;
  const unit = issue.origin === 'string' ? ' characters long'
    : issue.origin === 'array' ? ' items long' : '';
  const strict = side === 'small' ? `> ${limit}` : `< ${limit}`;
  const loose = side === 'small' ? `at least ${limit}` : `at most ${limit}`;
  return (issue.inclusive === false ? strict : loose) + unit;
}

function got(input: unknown): string {
  if (input === undefined) return '';
  if (typeof input === 'string') return `, got a string of ${input.length}`;
  if (Array.isArray(input)) return `, got ${input.length} item(s)`;
  return `, got${shown(input)}`;
}

// A short rendering of a bad value, for the message.
function shown(value: unknown): string {
  if (typeof value === 'object' || value === undefined) return '';
  const text = JSON.stringify(value) ?? String(value);
  return ` ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Formats issues as one line each, for a terminal or a log. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.problem}`).join('\n');
}
