import type {JobSnapshot} from './job-snapshot.js';

/**
 * Preemptions a SPOT job's plan reserves deadline slack for, unless the
 * deployment sets `expectedSpotPreemptions`. One is a planning
 * assumption, not a measured rate: Spot VMs may be reclaimed at any time
 * and no rate is published. A deployment that observes more (a busy
 * region, scarce hardware, long jobs) sets a higher count.
 */
export const DEFAULT_EXPECTED_SPOT_PREEMPTIONS = 1;

/**
 * Most preemptions a SPOT job resumes from, unless the deployment sets
 * `maxSpotPreemptions`; the next one ends the job failed with the reason.
 * A bound, so that a region that keeps reclaiming the hardware cannot
 * restart a job without end.
 */
export const DEFAULT_MAX_SPOT_PREEMPTIONS = 5;

/** The segments of a job that ended by preemption. */
export function preemptionsOf(snapshot: JobSnapshot): number {
  return snapshot.segments.filter((segment) => segment.preempted === true)
    .length;
}
