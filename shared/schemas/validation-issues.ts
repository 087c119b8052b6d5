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
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown field(s): ${issue.keys.join(', ')}`;
    case 'too_small':
      return `${issue.message.toLowerCase()}`;
    case 'too_big':
      return `${issue.message.toLowerCase()}`;
    default:
      return issue.message;
  }
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
