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

/** The deployed lifecycle definition: the local runner executes it too. */
export const LIFECYCLE_YAML_PATH = fileURLToPath(
  new URL('../../workflows/lifecycle.yaml', import.meta.url),
);

/** How a local execution ended. */
export type ExecutionOutcome =
  | {readonly status: 'succeeded'; readonly result: unknown}
  | {readonly status: 'failed'; readonly error: unknown};

/**
 * Starts lifecycle executions with the local runner, over the same YAML
 * file that is deployed to Cloud Workflows. The argument travels as a
 * JSON string, as the Executions API takes it. A job has one execution,
 * plus one per adoption (named after the segment and sequence adopted),
 * so a repeated start never runs a second copy.
 */
export class LocalLifecycleStarter implements LifecycleStarter {
  private readonly outcomes = new Map<string, ExecutionOutcome>();
  private readonly started = new Map<string, {jobId: string; ended: boolean}>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly publisher: TrackedPublisher,
    private readonly callbacks: CallbackServer,
    private readonly log?: (entry: WorkflowLogEntry) => void,
  ) {}

  async start(argument: LifecycleArguments): Promise<{executionName: string}> {
    const {adopt} = argument;
    const executionName = `local-executions/${argument.jobId}` + (adopt
      ? `/adopt-${adopt.segmentIndex}-${adopt.lastSequence}`
      : '');
    if (this.started.has(executionName)) return {executionName};
    const record = {jobId: argument.jobId, ended: false};
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
        record.ended = true;
        this.outcomes.set(argument.jobId, {status: 'succeeded', result});
      },
      (error) => {
        record.ended = true;
        this.outcomes.set(argument.jobId, {status: 'failed', error});
      },
    );
    setImmediate(release);
    return {executionName};
  }

  /** The executions still running, for the reconciler. */
  async listLive(): Promise<ListedExecution[]> {
    return [...this.started]
      .filter(([, record]) => !record.ended)
      .map(([executionName, record]) =>
        ({jobId: record.jobId, executionName, state: 'ACTIVE' as const}));
  }

  /** Jobs whose execution was started, in order, each once. */
  startedJobIds(): string[] {
    return [...new Set([...this.started.values()].map((r) => r.jobId))];
  }

  /** Whether any execution was started. */
  hasStarted(): boolean {
    return this.started.size > 0;
  }

  /** The outcome of a job's latest execution to end, once one ended. */
  outcomeOf(jobId: string): ExecutionOutcome | undefined {
    return this.outcomes.get(jobId);
  }
}
