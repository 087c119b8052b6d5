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
  /**
   * Set when the execution restarts a job left waiting or paused, or
   * one whose last segment ended while nothing watched it.
   */
  readonly restart?: RestartArgument;
}

/** What an adopting execution needs to watch a running segment. */
export interface AdoptionArgument {
  readonly trainingJobName: string;
  readonly segmentIndex: number;
  /** The snapshot's last applied sequence; requests continue after it. */
  readonly lastSequence: number;
}

/**
 * What an execution restarting a stranded job needs. It numbers its
 * requests after `afterSequence`, which is one past the snapshot's last
 * applied sequence, so no request id of the lost execution is reused.
 */
export type RestartArgument =
  | {
    /** Plan again from the stored request, then wait for the slot. */
    readonly phase: 'waiting';
    readonly afterSequence: number;
  }
  | {
    /** The work is done: record the footprint, which ends the job. */
    readonly phase: 'record';
    readonly afterSequence: number;
  }
  | {
    /** Resume from the paused segment's checkpoint. */
    readonly phase: 'paused';
    readonly afterSequence: number;
    /** The paused segment; the resume launches the one after it. */
    readonly trainingJobName: string;
    readonly segmentIndex: number;
    readonly checkpointStep: number | null;
    /** When the segment stopped (RFC 3339). */
    readonly pausedAt: string;
    /** When to resume (RFC 3339); null: at once. */
    readonly resumeAt: string | null;
  };

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
