import {parse as parseYaml} from 'yaml';
import {jobRequestSchema, type JobRequest} from './job-request.js';
import {describeIssues, type ValidationIssue} from './validation-issues.js';

/** A job document read and validated: either a request or its reasons. */
export type JobDocumentResult =
  | {ok: true; request: JobRequest}
  | {ok: false; issues: ValidationIssue[]};

/**
 * Reads a job request from JSON or YAML text and validates it. Every
 * reason is kept, each naming its field.
 */
export function parseJobDocument(text: string): JobDocumentResult {
  let document: unknown;
  try {
    document = text.trimStart().startsWith('{')
      ? JSON.parse(text)
      : parseYaml(text);
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          field: '(document)',
          problem: `is neither valid JSON nor YAML: ${(error as Error).message}`,
        },
      ],
    };
  }
  if (typeof document !== 'object' || document === null) {
    return {
      ok: false,
      issues: [{field: '(document)', problem: 'must be an object'}],
    };
  }
  const parsed = jobRequestSchema.safeParse(document);
  return parsed.success
    ? {ok: true, request: parsed.data}
    : {ok: false, issues: describeIssues(parsed.error)};
}
