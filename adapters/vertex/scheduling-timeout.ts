import {DeadlineInfeasibleError, SegmentTooLongError} from './vertex-errors.js';

/** Vertex AI's default `scheduling.timeout`: 7 days. Never relied on. */
export const DEFAULT_VERTEX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** The longest timeout the product sets unless told otherwise: 30 days. */
export const DEFAULT_MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;

/** Share added to the expected running time before the deadline caps it. */
export const TIMEOUT_MARGIN_FRACTION = 0.1;

/** The scheduling strategies the job request allows. */
export type SchedulingStrategy = 'STANDARD' | 'SPOT' | 'FLEX_START';

/** How a segment is to be scheduled, from the job request. */
export interface SegmentScheduling {
  /** The job's deadline; null when unknown (the timeout gets a margin). */
  readonly deadlineMs: number | null;
  readonly strategy: SchedulingStrategy;
  /** FLEX_START's longest wait for capacity; null otherwise. */
  readonly maxWaitSeconds: number | null;
}

/**
 * The seconds a strategy may wait before the job runs: FLEX_START's
 * `maxWaitDuration`, charged to the deadline's slack; 0 otherwise.
 */
export function providerWaitSeconds(scheduling: SegmentScheduling): number {
  return scheduling.strategy === 'FLEX_START'
    ? scheduling.maxWaitSeconds ?? 0
    : 0;
}

/**
 * The latest instant a segment of `runSeconds` may be submitted and still
 * finish by the deadline, the provider's wait counted.
 *
 * @returns deadline - run - wait, in epoch milliseconds
 */
export function latestSubmitMs(
  deadlineMs: number,
  runSeconds: number,
  scheduling: SegmentScheduling,
): number {
  return deadlineMs - (runSeconds + providerWaitSeconds(scheduling)) * 1000;
}

/**
 * The `scheduling.timeout` for a segment: its expected running time plus
 * 10 %, but no later than the deadline (after the provider's wait), and
 * never the 7-day default by omission.
 *
 * @param runSeconds - running time the segment needs, start-up included
 * @throws DeadlineInfeasibleError when submitting now cannot finish by
 *   the deadline (FLEX_START's wait counted)
 * @throws SegmentTooLongError when the segment needs more than
 *   `maxTimeoutSeconds`
 */
export function schedulingTimeoutSeconds(input: {
  readonly runSeconds: number;
  readonly nowMs: number;
  readonly scheduling: SegmentScheduling;
  readonly maxTimeoutSeconds: number;
}): number {
  const {runSeconds, nowMs, scheduling, maxTimeoutSeconds} = input;
  const neededSeconds = Math.ceil(runSeconds);
  if (neededSeconds > maxTimeoutSeconds) {
    throw new SegmentTooLongError(neededSeconds, maxTimeoutSeconds);
  }
  // Rounded to the millisecond first: 691200 x 1.1 is 760320, not 760321.
  const withMarginMs = Math.round(
    runSeconds * (1 + TIMEOUT_MARGIN_FRACTION) * 1000);
  let timeoutSeconds = Math.min(Math.ceil(withMarginMs / 1000),
    maxTimeoutSeconds);

  if (scheduling.deadlineMs !== null) {
    const latestMs = latestSubmitMs(scheduling.deadlineMs, runSeconds,
      scheduling);
    if (nowMs > latestMs) {
      throw new DeadlineInfeasibleError(
        `submitting at ${new Date(nowMs).toISOString()} cannot finish ` +
          `${neededSeconds} s of work by the deadline ` +
          `${new Date(scheduling.deadlineMs).toISOString()}` +
          (providerWaitSeconds(scheduling) > 0
            ? ` with ${scheduling.strategy}'s wait of up to ` +
              `${providerWaitSeconds(scheduling)} s`
            : '') +
          `; the latest submit time was ${new Date(latestMs).toISOString()}`);
    }
    const leftSeconds = Math.floor(
      (scheduling.deadlineMs - nowMs) / 1000 - providerWaitSeconds(scheduling));
    timeoutSeconds = Math.min(timeoutSeconds, leftSeconds);
  }
  return Math.max(timeoutSeconds, neededSeconds);
}
