/**
 * The budget true-up when a job ends: its measured scope 2 figure
 * replaces its reservation in the month the reservation lives in.
 */
import type {BlobStore} from '../ports/blob-store.js';
import {budgetOf, type BudgetsConfig} from './budget-config.js';
import {budgetMonthOf, type BudgetEntry} from './budget-ledger.js';
import {readJobBudgetMonth} from './budget-plan-check.js';
import {settleBudget} from './budget-reservations.js';

// TODO(budgets): a job that fails or is cancelled keeps its reservation,
// since record-footprint runs only for completed jobs; it can go when the
// lifecycle's failure path records a footprint (and settles) too.

/**
 * Settles a finished job's budget share. A job with neither a
 * reservation nor a budgeted project is left alone.
 *
 * @param measuredKg - scope 2 location-based kgCO2e; null when unknown
 * @param startMs - the job's first segment start, for a job that had no
 *   reservation (its month)
 */
export async function settleJobBudget(input: {
  readonly blobs: BlobStore;
  readonly config: BudgetsConfig | null;
  readonly projectId: string;
  readonly jobId: string;
  readonly measuredKg: number | null;
  readonly startMs: number;
  readonly nowMs: number;
}): Promise<BudgetEntry | null> {
  const month = await readJobBudgetMonth(input.blobs, input.projectId,
    input.jobId) ?? budgetMonthOf(input.startMs);
  const budget = budgetOf(input.config, input.projectId);
  return settleBudget(input.blobs, {
    projectId: input.projectId,
    month,
    jobId: input.jobId,
    measuredKg: input.measuredKg,
    budgetKg: budget?.carbonBudgetKg ?? null,
    nowMs: input.nowMs,
  });
}
