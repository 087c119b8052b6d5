import {SchedulerError} from '../../../shared/errors.js';
import {mapOf, toPlain} from './values.js';
import type {WorkflowValue} from './values.js';

/**
 * An exception raised inside a workflow (by `raise` or by the runtime).
 * Only these are seen by `try`/`except`; the runner's own failures are not.
 */
export class WorkflowRaise extends Error {
  readonly value: WorkflowValue;

  constructor(value: WorkflowValue) {
    super(describeRaised(value));
    this.name = 'WorkflowRaise';
    this.value = value;
  }
}

/** The runtime error tags the local runner raises. */
export type RuntimeErrorTag =
  | 'KeyError'
  | 'IndexError'
  | 'TypeError'
  | 'ValueError'
  | 'ZeroDivisionError'
  | 'ResourceLimitError'
  | 'RecursionError'
  | 'TimeoutError'
  | 'ConnectionError'
  | 'HttpError';

/** Builds a runtime error as Workflows does: a map with message and tags. */
export function runtimeError(
  tag: RuntimeErrorTag,
  message: string,
  extra: Record<string, WorkflowValue> = {},
): WorkflowRaise {
  return new WorkflowRaise(
    mapOf({message: `${tag}: ${message}`, tags: [tag], ...extra}),
  );
}

/**
 * The runner met a construct outside the subset it implements. It stops
 * the execution; a workflow `try` cannot catch it.
 */
export class UnsupportedConstructError extends SchedulerError {
  readonly construct: string;
  readonly stepName: string;

  constructor(construct: string, stepName: string) {
    super(
      'WORKFLOW_CONSTRUCT_UNSUPPORTED',
      `not supported locally: ${construct} at step "${stepName}"; the ` +
        'local runner implements the subset of the ' +
        'Workflows language that workflows/lifecycle.yaml uses',
    );
    this.construct = construct;
    this.stepName = stepName;
  }
}

/** The workflow source is malformed (a deploy would refuse it). */
export class WorkflowDefinitionError extends SchedulerError {
  constructor(message: string) {
    super('WORKFLOW_DEFINITION_INVALID', message);
  }
}

/** The execution ended with an uncaught exception. */
export class WorkflowExecutionError extends SchedulerError {
  /** The raised value, as plain JSON-compatible JS. */
  readonly error: unknown;

  constructor(raised: WorkflowValue) {
    super(
      'WORKFLOW_EXECUTION_FAILED',
      `the workflow execution failed: ${describeRaised(raised)}`,
    );
    this.error = toPlain(raised);
  }
}

// A one-line description of a raised value for error messages.
function describeRaised(value: WorkflowValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Map) {
    const message = value.get('message');
    const tags = value.get('tags');
    const tagText = Array.isArray(tags) ? ` [${tags.join(', ')}]` : '';
    if (typeof message === 'string') return message + tagText;
  }
  return JSON.stringify(toPlain(value));
}

/**
 * The execution was killed from outside (as a Workflows execution is
 * cancelled). Not a raise: no `try`/`except` of the workflow sees it.
 */
export class WorkflowExecutionKilled extends SchedulerError {
  readonly executionName: string;

  constructor(executionName: string, reason: string) {
    super(
      'WORKFLOW_EXECUTION_KILLED',
      `execution ${executionName} was killed: ${reason}`,
    );
    this.executionName = executionName;
  }
}
