import {HeldExecution} from './held-execution.js';
import type {WorkflowConnectors, WorkflowLogEntry} from './held-execution.js';
import type {CallbackServer, HoldableClock} from './callback-server.js';
import {DEFAULT_LIMITS, Interpreter} from './interpreter.js';
import type {ExecutionLimits} from './interpreter.js';
import {decodeJson} from './json-codec.js';
import {WorkflowExecutionError, WorkflowRaise} from './workflow-errors.js';
import {loadWorkflowProgram} from './workflow-program.js';
import {toPlain} from './values.js';
import type {WorkflowValue} from './values.js';

/** What one local execution needs. */
export interface RunWorkflowOptions {
  /** The workflow YAML, the same text that is deployed. */
  readonly source: string;
  /**
   * The execution argument as a JSON string, parsed once, as the
   * Workflows API takes it; absent means no argument (null).
   */
  readonly argument?: string;
  /** The clock the execution holds while it runs steps. */
  readonly clock: HoldableClock;
  /** The Pub/Sub side of the publish connector. */
  readonly connectors: WorkflowConnectors;
  /** Where callback endpoints live. */
  readonly callbacks: CallbackServer;
  /** Receives `sys.log` entries. */
  readonly log?: (entry: WorkflowLogEntry) => void;
  /** Overrides of the execution limits (tests). */
  readonly limits?: Partial<ExecutionLimits>;
  /** The reason the clock hold shows. */
  readonly executionName?: string;
  /**
   * Aborting it kills the execution at its next step, sleep or await:
   * the promise rejects with the abort reason and the clock hold goes.
   */
  readonly signal?: AbortSignal;
}

/**
 * Executes a workflow locally. The returned promise settles when the
 * execution ends; the caller drives the virtual clock meanwhile (e.g.
 * `clock.run(() => settled)`).
 *
 * @param options - source, argument, clock, connectors and callbacks
 * @returns the workflow's result as plain JSON-compatible JS
 * @throws WorkflowExecutionError when an exception leaves main
 * @throws UnsupportedConstructError for a construct outside the subset
 * @throws the signal's reason once it is aborted
 */
export async function runWorkflow(
  options: RunWorkflowOptions,
): Promise<unknown> {
  const program = loadWorkflowProgram(options.source);
  const argument: WorkflowValue =
    options.argument === undefined ? null : decodeJson(options.argument);
  const execution = new HeldExecution(
    options.clock,
    options.callbacks,
    options.connectors,
    options.log,
    `workflow ${options.executionName ?? 'execution'}`,
    options.signal,
  );
  const limits = {...DEFAULT_LIMITS, ...options.limits};
  try {
    const result = await new Interpreter(program, execution, limits,
      options.signal).runMain(argument);
    return toPlain(result);
  } catch (error) {
    if (error instanceof WorkflowRaise) {
      throw new WorkflowExecutionError(error.value);
    }
    throw error;
  } finally {
    execution.finish();
  }
}
