import {parse as parseYaml} from 'yaml';
import {
  JOB_REQUEST_LIMIT_BYTES,
  MAX_NESTING_DEPTH,
  nestingProblem,
  sizeProblem,
} from '../messaging/message-limits.js';
import {jobRequestSchema, type JobRequest} from './job-request.js';
import {jobRequestRuleIssues, type RuleContext} from './job-request-rules.js';
import {decodeDocumentText} from './document-text.js';
import {describeIssues, type ValidationIssue} from './validation-issues.js';

/** A job document read and validated: either a request or its reasons. */
export type JobDocumentResult =
  | {ok: true; request: JobRequest}
  | {ok: false; issues: ValidationIssue[]};

/**
 * Reads a job request from JSON or YAML (bytes as received, or text) and
 * validates it as ingest-job does: size, encoding, syntax, nesting, the
 * schema, then the rules across fields (relative to `context.nowMs` and
 * the catalog's `context.regionIds` when given). Every reason is kept,
 * each naming its field.
 */
export function parseJobDocument(
  source: string | Uint8Array,
  context: RuleContext = {},
): JobDocumentResult {
  const refuse = (problem: string): JobDocumentResult => ({
    ok: false,
    issues: [{field: '(document)', problem}],
  });

  // Step 1: bytes to text, refusing what is too large or not UTF-8.
  const byteLength = typeof source === 'string'
    ? Buffer.byteLength(source)
    : source.byteLength;
  const tooLarge = sizeProblem(byteLength, JOB_REQUEST_LIMIT_BYTES,
    'job request');
  if (tooLarge) return refuse(tooLarge);
  const decoded = decodeDocumentText(source);
  if (!decoded.ok) return refuse(decoded.problem);
  const text = decoded.text;
  if (text.trim() === '') {
    return refuse('is empty: expected a job request as a JSON object or ' +
      'a YAML mapping (see examples/jobs/)');
  }

  // Step 2: text to a document.
  const parsed = parseSyntax(text);
  if (!parsed.ok) return refuse(parsed.problem);
  const document = parsed.document;
  if (typeof document !== 'object' || document === null ||
      Array.isArray(document)) {
    return refuse('must be an object (a JSON object or YAML mapping), got ' +
      (Array.isArray(document) ? 'an array'
        : document === null ? 'null' : `${typeof document}`));
  }
  const tooDeep = nestingProblem(document);
  if (tooDeep) return refuse(tooDeep);

  // Step 3: the schema, then rules that need the clock or the catalog.
  const result = jobRequestSchema.safeParse(document, {reportInput: true});
  const issues = result.success ? [] : describeIssues(result.error);
  const reported = new Set(issues.map((issue) => issue.field));
  for (const rule of jobRequestRuleIssues(document, context)) {
    const field = rule.path.join('.');
    if (reported.has(field) || rule.dependsOn.some((name) =>
      reported.has(name))) {
      continue;
    }
    reported.add(field);
    issues.push({field, problem: rule.message});
  }
  return issues.length === 0 && result.success
    ? {ok: true, request: result.data}
    : {ok: false, issues};
}

type SyntaxResult =
  | {ok: true; document: unknown}
  | {ok: false; problem: string};

// JSON when it looks like JSON (so its errors name JSON), else YAML.
function parseSyntax(text: string): SyntaxResult {
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') {
    try {
      return {ok: true, document: JSON.parse(text)};
    } catch (error) {
      return {
        ok: false,
        problem: `is not valid JSON (${(error as Error).message}); a ` +
          'truncated upload or a missing brace or quote is the usual cause',
      };
    }
  }
  // The YAML parser recurses: refuse hostile nesting before it runs.
  const nesting = yamlNestingProblem(text);
  if (nesting) return {ok: false, problem: nesting};
  try {
    return {ok: true, document: parseYaml(text, {maxAliasCount: 50})};
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0];
    return {
      ok: false,
      problem: `is neither JSON nor valid YAML (${firstLine})`,
    };
  }
}

// An upper bound on YAML nesting read from the text alone: open flow
// brackets, and the columns of indentation and "- " before a value.
function yamlNestingProblem(text: string): string | undefined {
  let flowDepth = 0;
  let quote: string | undefined;
  for (const character of text) {
    if (quote) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '[' || character === '{') {
      flowDepth++;
      if (flowDepth > MAX_NESTING_DEPTH) break;
    } else if (character === ']' || character === '}') {
      flowDepth = Math.max(0, flowDepth - 1);
    } else if (character === '\n') {
      quote = undefined;
    }
  }
  const indentColumns = text.split('\n').reduce(
    (widest, line) => Math.max(widest, /^[\s-]*/.exec(line)![0].length), 0);
  const widestIndent = 4 * MAX_NESTING_DEPTH;
  if (flowDepth <= MAX_NESTING_DEPTH && indentColumns <= widestIndent) {
    return undefined;
  }
  return `nests more than ${MAX_NESTING_DEPTH} levels deep (or is indented ` +
    `more than ${4 * MAX_NESTING_DEPTH} columns); at most ` +
    `${MAX_NESTING_DEPTH} levels are allowed`;
}
