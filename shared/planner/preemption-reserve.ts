/** What the slack reserved for a SPOT job's preemptions depends on. */
export interface PreemptionReserveInput {
  /** The job's `scheduling.strategy`; only SPOT reserves anything. */
  readonly strategy: string;
  /** Preemptions planned for (a setting, not a fitted number). */
  readonly expectedPreemptions: number;
  /** Time a new segment spends before its first step. */
  readonly restartOverheadMs: number;
  /** Work between two checkpoints. */
  readonly checkpointEveryMs: number;
}

/**
 * The deadline slack a plan keeps free for the restarts a SPOT job is
 * expected to suffer: per expected preemption, the restart overhead of
 * the segment that resumes, plus half a checkpoint interval of work
 * lost since the last checkpoint (a preemption strikes, on average,
 * halfway between two). Zero for any other strategy.
 */
export function spotPreemptionReserveMs(
  input: PreemptionReserveInput,
): number {
  if (input.strategy !== 'SPOT') return 0;
  const expected = Math.max(0, input.expectedPreemptions);
  return expected *
    (input.restartOverheadMs + input.checkpointEveryMs / 2);
}
