import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import type {
  LifecycleArguments,
  LifecycleStarter,
  ListedExecution,
} from '../../shared/ports/lifecycle-starter.js';
import type {TrackedPublisher} from './tracked-publisher.js';
import type {VirtualClock} from './virtual-clock.js';
import type {CallbackServer} from './workflow-runner/callback-server.js';
import {runWorkflow} from './workflow-runner/run-workflow.js';
import type {WorkflowLogEntry} from './workflow-runner/held-execution.js';
import {WorkflowExecutionKilled} from './workflow-runner/workflow-errors.js';

/** The deployed lifecycle definition: the local runner executes it too. */
export const LIFECYCLE_YAML_PATH = fileURLToPath(
  new URL('../../workflows/lifecycle.yaml', import.meta.url),
);

/**
 * How a local execution ended; `killed` is a Workflows execution
 * cancelled from outside.
 */
export type ExecutionOutcome =
  | {readonly status: 'succeeded'; readonly result: unknown}
  | {readonly status: 'failed'; readonly error: unknown}
  | {readonly status: 'killed'; readonly reason: string};

/** A local execution the starter knows of. */
interface ExecutionRecord {
  readonly jobId: string;
  readonly abort: AbortController;
  outcome: ExecutionOutcome | null;
}

/**
 * Starts lifecycle executions with the local runner, over the same YAML
 * file that is deployed to Cloud Workflows. The argument travels as a
 * JSON string, as the Executions API takes it. A job has one execution,
 * plus one per adoption (named after the segment and sequence adopted)
 * and one per restart (named after its phase and sequence), so a
 * repeated start never runs a second copy. An execution can be
 * killed mid-run (see {@link kill}); its training job keeps running.
 */
export class LocalLifecycleStarter implements LifecycleStarter {
  /** Every execution started, in start order. */
  private readonly started = new Map<string, ExecutionRecord>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly publisher: TrackedPublisher,
    private readonly callbacks: CallbackServer,
    private readonly log?: (entry: WorkflowLogEntry) => void,
  ) {}

  async start(argument: LifecycleArguments): Promise<{executionName: string}> {
    const executionName = executionNameOf(argument);
    if (this.started.has(executionName)) return {executionName};
    const record: ExecutionRecord = {
      jobId: argument.jobId, abort: new AbortController(), outcome: null,
    };
    this.started.set(executionName, record);
    const source = await readFile(LIFECYCLE_YAML_PATH, 'utf8');

    // Hold the clock until the execution holds it itself.
    const release = this.clock.hold(`starting ${executionName}`);
    const execution = runWorkflow({
      source,
      argument: JSON.stringify(argument),
      clock: this.clock,
      callbacks: this.callbacks,
      executionName,
      signal: record.abort.signal,
      ...(this.log ? {log: this.log} : {}),
      connectors: {
        publish: async (topicPath, messages) => {
          const topic = topicPath.split('/').at(-1)!;
          const messageIds = [];
          for (const message of messages) {
            messageIds.push(await this.publisher.publishEncoded(
              topic, message.data, message.attributes ?? {}));
          }
          return {messageIds};
        },
      },
    });
    execution.then(
      (result) => {
        record.outcome ??= {status: 'succeeded', result};
      },
      (error: unknown) => {
        record.outcome ??= {status: 'failed', error};
      },
    );
    setImmediate(release);
    return {executionName};
  }

  /**
   * Kills a running execution, as cancelling a Workflows execution does:
   * it stops at its next step, sleep or await, lets its clock holds go,
   * is no longer listed live, and ends `killed`. Nothing it started is
   * stopped: a training job it launched keeps running, unwatched.
   *
   * @returns false when the execution is unknown or has already ended
   */
  kill(executionName: string, reason = 'killed by an operator'): boolean {
    const record = this.started.get(executionName);
    if (!record || record.outcome !== null) return false;
    record.outcome = {status: 'killed', reason};
    record.abort.abort(new WorkflowExecutionKilled(executionName, reason));
    return true;
  }

  /** The executions still running, for the reconciler. */
  async listLive(): Promise<ListedExecution[]> {
    return [...this.started]
      .filter(([, record]) => record.outcome === null)
      .map(([executionName, record]) =>
        ({jobId: record.jobId, executionName, state: 'ACTIVE' as const}));
  }

  /**
   * A job's executions, in start order (the first, then adoptions and
   * restarts).
   */
  executionsOf(jobId: string): string[] {
    return [...this.started]
      .filter(([, record]) => record.jobId === jobId)
      .map(([executionName]) => executionName);
  }

  /** Jobs whose execution was started, in order, each once. */
  startedJobIds(): string[] {
    return [...new Set([...this.started.values()].map((r) => r.jobId))];
  }

  /** Whether any execution was started. */
  hasStarted(): boolean {
    return this.started.size > 0;
  }

  /**
   * The outcome of a job's latest execution, once that one has ended
   * (after a kill, until an adoption starts, the kill).
   */
  outcomeOf(jobId: string): ExecutionOutcome | undefined {
    const latest = this.executionsOf(jobId).at(-1);
    return latest === undefined ? undefined : this.outcomeOfExecution(latest);
  }

  /** How one execution ended; undefined while it runs or if unknown. */
  outcomeOfExecution(executionName: string): ExecutionOutcome | undefined {
    return this.started.get(executionName)?.outcome ?? undefined;
  }
}

/**
 * The name of a job's execution: the same for the same start, so a
 * repeated start finds the one already started.
 */
export function executionNameOf(argument: LifecycleArguments): string {
  const {adopt, restart} = argument;
  const base = `local-executions/${argument.jobId}`;
  if (adopt) return `${base}/adopt-${adopt.segmentIndex}-${adopt.lastSequence}`;
  if (restart?.phase === 'paused') {
    return `${base}/restart-paused-${restart.segmentIndex}-` +
      `${restart.afterSequence}`;
  }
  if (restart?.phase === 'record') {
    return `${base}/restart-record-${restart.afterSequence}`;
  }
  if (restart) return `${base}/restart-waiting-${restart.afterSequence}`;
  return base;
}
