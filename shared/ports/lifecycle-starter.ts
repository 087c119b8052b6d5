/** The arguments a lifecycle execution starts with. */
export interface LifecycleArguments {
  readonly jobId: string;
  /** The Google Cloud project whose topics the workflow publishes to. */
  readonly project: string;
  readonly pollSeconds: number;
  readonly maxMonitorPolls: number;
  readonly replanIfWaitOverSeconds: number;
}

/** Starts one job's lifecycle: a Workflows execution, or the local runner. */
export interface LifecycleStarter {
  start(argument: LifecycleArguments): Promise<{executionName: string}>;
}
