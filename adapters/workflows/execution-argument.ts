import {SchedulerError} from '../../shared/errors.js';

/** An execution argument that would reach the workflow as the wrong type. */
export class ExecutionArgumentError extends SchedulerError {
  constructor(message: string) {
    super('execution-argument-invalid', message);
  }
}

/**
 * The `argument` of a Workflows execution: the value as a JSON string,
 * encoded exactly once, so the workflow's `args` is a map. No argument is
 * `"{}"`. A string is refused: encoding it again would hand the workflow
 * a string instead of a map.
 *
 * @throws ExecutionArgumentError for a string, an array or a value JSON
 *   cannot hold
 */
export function encodeExecutionArgument(value: unknown): string {
  if (value === undefined || value === null) return '{}';
  if (typeof value === 'string') {
    throw new ExecutionArgumentError(
      'the execution argument is already a string; pass the object, ' +
        'which is encoded once here');
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ExecutionArgumentError(
      `the execution argument must be an object (the workflow reads it ` +
        `as a map), not ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return JSON.stringify(value);
}
