import type {ExecutionState} from '../reconciliation/reconcile.js';

/** The arguments a lifecycle execution starts with. */
export interface LifecycleArguments {
  readonly jobId: string;
  /** The Google Cloud project whose topics the workflow publishes to. */
  readonly project: string;
  readonly pollSeconds: number;
  readonly maxMonitorPolls: number;
  readonly replanIfWaitOverSeconds: number;
  /** Set when the execution takes over a segment already running. */
  readonly adopt?: AdoptionArgument;
}

/** What an adopting execution needs to watch a running segment. */
export interface AdoptionArgument {
  readonly trainingJobName: string;
  readonly segmentIndex: number;
  /** The snapshot's last applied sequence; requests continue after it. */
  readonly lastSequence: number;
}

/** A lifecycle execution as the reconciler lists it. */
export interface ListedExecution {
  readonly jobId: string;
  readonly executionName: string;
  readonly state: ExecutionState;
}

/** Starts one job's lifecycle: a Workflows execution, or the local runner. */
export interface LifecycleStarter {
  start(argument: LifecycleArguments): Promise<{executionName: string}>;
  /**
   * The executions that are queued or active, each with the job it runs.
   * Optional: without it the scheduled poll cannot reconcile.
   */
  listLive?(): Promise<ListedExecution[]>;
}
