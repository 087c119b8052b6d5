/**
 * Re-planning while a job waits: whether a plan made from a fresher
 * forecast should replace the plan being waited on.
 */
import {PlannerInputError} from './planner-errors.js';

/**
 * The threshold the product uses: a fresh plan replaces the waited-on
 * one when it saves over 1 % on the same fresh forecast, so a plan is
 * not moved for differences within the forecast's noise. On the 2021
 * traces (`evaluate --traces`, see docs/evaluation/) 0, 0.01 and 0.02
 * give ratios to the oracle within 0.001 of each other (0.953, 0.952,
 * 0.952), within the replay's noise, so 0.01 is kept.
 */
export const DEFAULT_REPLAN_THRESHOLD_FRACTION = 0.01;

/**
 * The margin a move adds for the fresh plan's forecast error, as a
 * fraction of the current plan's grams, for a plan starting a day out
 * (see {@link replanThresholdAt}). The fresh plan is the cheapest of
 * many forecast windows, so its price is the most optimistic of them;
 * that error grows with lead (modelled as its square root, flat past
 * {@link REPLAN_ERROR_SATURATION_HOURS}). The product uses none: on the
 * 2021 traces (`evaluate --traces`, field `replanLeadErrorFraction` of
 * `--jobs`) 0.05 changed the home-only scenarios within their noise and
 * cost the EU ones up to a tenth of the oracle's saving, where a move
 * to another region's later window is worth more than its error.
 */
export const DEFAULT_REPLAN_LEAD_ERROR_FRACTION = 0;

/** Lead beyond which the forecast's error no longer grows. */
export const REPLAN_ERROR_SATURATION_HOURS = 96;

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;

/**
 * The saving fraction a fresh plan starting at `freshStartMs` must beat:
 * the base threshold plus `leadErrorFraction` x sqrt(lead / 1 day), the
 * lead capped at {@link REPLAN_ERROR_SATURATION_HOURS}.
 *
 * @param leadErrorFraction - the margin for a plan a day out (0: none)
 */
export function replanThresholdAt(
  baseFraction: number,
  leadErrorFraction: number,
  freshStartMs: number,
  nowMs: number,
): number {
  const leadHours = Math.min(REPLAN_ERROR_SATURATION_HOURS,
    Math.max(0, (freshStartMs - nowMs) / HOUR_MS));
  return baseFraction + leadErrorFraction * Math.sqrt(leadHours / DAY_HOURS);
}

/** What the decision reads of a plan. */
export interface ReplanCandidate {
  /** First instant the plan runs. */
  readonly startMs: number;
  /** Instant the plan's last segment ends. */
  readonly finishMs: number;
  /**
   * Expected grams priced on the fresh forecast (the current plan is
   * re-priced on it, so both sides use the same data); null when the
   * fresh forecast does not cover the plan.
   */
  readonly expectedEmissionsGrams: number | null;
}

export type ReplanReason =
  | 'better-by-threshold'
  | 'not-better-enough'
  | 'fresh-misses-deadline'
  | 'fresh-starts-in-the-past'
  | 'fresh-unpriced'
  | 'current-misses-deadline'
  | 'current-start-passed'
  | 'current-start-arrived'
  | 'current-unpriced';

/** The decision, with the numbers behind it. */
export interface ReplanDecision {
  readonly replace: boolean;
  readonly reason: ReplanReason;
  /** The saving fraction the fresh plan had to beat (lead included). */
  readonly thresholdFraction: number;
  /** Current minus fresh grams; null when either is unpriced. */
  readonly savingGrams: number | null;
  /** savingGrams over the current grams; null when not computable. */
  readonly savingFraction: number | null;
}

/**
 * Replaces the current plan only when the fresh one is feasible (starts
 * no earlier than now and finishes by the deadline) and saves more than
 * `thresholdFraction` of the current plan's grams, plus the margin for
 * the forecast's error at the fresh plan's lead ({@link
 * replanThresholdAt}; none when `leadErrorFraction` is 0). A current
 * plan that can no longer be kept (its start has passed unlaunched, or
 * it ends after the deadline) gives way to any feasible fresh plan. A
 * plan that cannot be priced never wins on price: an unpriced fresh plan
 * is refused, an unpriced current plan is kept unless it is infeasible.
 * A feasible current plan whose start has arrived (it starts before
 * `nowMs + launchLeadMs`, the next decision) is launched, not postponed:
 * a fresher forecast may move a plan while it waits, never at its slot.
 *
 * @param thresholdFraction - e.g. 0.05: at least 5 % better to replace
 * @param nowMs - the decision instant (default: fresh.startMs, i.e. no
 *   check that the fresh plan lies ahead)
 * @param launchLeadMs - how soon before its start a plan is due to be
 *   launched (default 0: never kept for that reason alone)
 * @param leadErrorFraction - the error margin for a plan a day out
 *   (default 0; the product passes DEFAULT_REPLAN_LEAD_ERROR_FRACTION)
 * @throws PlannerInputError for a threshold or margin outside [0, 1) or
 *   a non-finite instant
 */
export function shouldReplace(
  currentPlan: ReplanCandidate,
  freshPlan: ReplanCandidate,
  thresholdFraction: number,
  deadlineMs: number,
  nowMs: number = freshPlan.startMs,
  launchLeadMs = 0,
  leadErrorFraction = 0,
): ReplanDecision {
  for (const [field, value] of [['thresholdFraction', thresholdFraction],
    ['leadErrorFraction', leadErrorFraction]] as const) {
    if (!(Number.isFinite(value) && value >= 0 && value < 1)) {
      throw new PlannerInputError(field, `${value} is unusable`,
        'a number in [0, 1)');
    }
  }
  if (!(Number.isFinite(launchLeadMs) && launchLeadMs >= 0)) {
    throw new PlannerInputError('launchLeadMs',
      `${launchLeadMs} is unusable`, 'a finite number of ms >= 0');
  }
  for (const [field, value] of [['deadlineMs', deadlineMs],
    ['nowMs', nowMs]] as const) {
    if (!Number.isFinite(value)) {
      throw new PlannerInputError(field, `${value} is not a finite instant`,
        'milliseconds since the Unix epoch');
    }
  }
  const current = currentPlan.expectedEmissionsGrams;
  const fresh = freshPlan.expectedEmissionsGrams;
  const savingGrams = current === null || fresh === null ? null :
    current - fresh;
  const savingFraction = savingGrams === null || current === null ||
    !(current > 0) ? null : savingGrams / current;
  const requiredFraction = replanThresholdAt(thresholdFraction,
    leadErrorFraction, freshPlan.startMs, nowMs);
  const decide = (replace: boolean, reason: ReplanReason) =>
    ({replace, reason, thresholdFraction: requiredFraction, savingGrams,
      savingFraction});

  // The deadline is hard: a fresh plan past it never replaces anything.
  if (freshPlan.finishMs > deadlineMs) {
    return decide(false, 'fresh-misses-deadline');
  }
  if (freshPlan.startMs < nowMs) {
    return decide(false, 'fresh-starts-in-the-past');
  }
  if (fresh === null) return decide(false, 'fresh-unpriced');

  if (currentPlan.finishMs > deadlineMs) {
    return decide(true, 'current-misses-deadline');
  }
  if (currentPlan.startMs < nowMs) {
    return decide(true, 'current-start-passed');
  }
  if (currentPlan.startMs < nowMs + launchLeadMs) {
    return decide(false, 'current-start-arrived');
  }
  if (current === null) return decide(false, 'current-unpriced');

  const better = savingGrams !== null &&
    savingGrams > requiredFraction * Math.abs(current) && savingGrams > 0;
  return decide(better, better ? 'better-by-threshold' : 'not-better-enough');
}
