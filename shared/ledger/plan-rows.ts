/**
 * Plans as ledger rows: one per plan optimize-slot stores (the first and
 * each re-plan that replaced the one waited on). The insert id is built
 * from the job and the plan request's sequence, so a redelivered request
 * repeats its row rather than adding one.
 */
import type {StoredPlan} from '../jobs/stored-plan.js';
import type {LedgerRow} from './schema.js';

/** What a plan row needs besides the plan. */
export interface PlanRowContext {
  readonly projectId: string;
  /** Sequence of the plan request; grows with each re-plan. */
  readonly planIndex: number;
  /** Carbon budget reserved for the plan, kg; null when unbudgeted. */
  readonly reservedBudgetKilograms: number | null;
  readonly recordedAtMs: number;
}

/** Insert id of a plan's row. */
export function planInsertId(jobId: string, planIndex: number): string {
  return `${jobId}:plan:${planIndex}`;
}

/** The row of a stored plan. */
export function toPlanRow(
  plan: StoredPlan,
  context: PlanRowContext,
): LedgerRow<'plans'> {
  const first = plan.segments[0];
  const last = plan.segments.at(-1);
  if (first === undefined || last === undefined) {
    throw new RangeError(`plan ${plan.requestId} has no segment`);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    insert_id: planInsertId(plan.jobId, context.planIndex),
    job_id: plan.jobId,
    project_id: context.projectId,
    plan_index: context.planIndex,
    region: first.regionId,
    planned_start: iso(first.startMs),
    planned_end: iso(last.endMs),
    signal_source: plan.signalProvider,
    signal_basis: plan.basis,
    expected_kgco2e: Number.isFinite(plan.expectedEmissionsGrams) ?
      plan.expectedEmissionsGrams / 1000 : null,
    reserved_budget_kgco2e: context.reservedBudgetKilograms,
    segments: plan.segments.map((segment) => ({
      region: segment.regionId, start: iso(segment.startMs),
      end: iso(segment.endMs)})),
    recorded_at: iso(context.recordedAtMs),
  };
}
