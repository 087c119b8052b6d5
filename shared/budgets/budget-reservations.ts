/**
 * Reserving, releasing and settling one job's share of a project's
 * monthly carbon budget, each an entry of the month's budget ledger.
 * Every operation states the job's target share rather than a change, so
 * a retried request (a redelivered message, a re-plan) writes nothing new.
 */
import type {BlobStore} from '../ports/blob-store.js';
import type {ProjectBudget} from './budget-config.js';
import {
  appendBudgetEntry,
  fitsBudget,
  type BudgetEntry,
  type BudgetMonthState,
} from './budget-ledger.js';

/** The outcome of a reservation. */
export type ReservationOutcome =
  | {
    readonly status: 'reserved';
    /** The entry written; null when the job already held this share. */
    readonly entry: BudgetEntry | null;
    readonly usedKg: number;
  }
  | {
    readonly status: 'over-budget';
    readonly usedKg: number;
    /** What the job could still take (its own share included). */
    readonly availableKg: number;
  }
  | {readonly status: 'already-settled'; readonly usedKg: number};

const SAME_KG = 1e-12;

/**
 * Sets the job's reservation in a month to `kilograms`, if the budget
 * allows it (a smaller reservation always fits).
 */
export async function reserveBudget(
  blobs: BlobStore,
  request: {
    readonly budget: ProjectBudget;
    readonly month: string;
    readonly jobId: string;
    readonly kilograms: number;
    readonly nowMs: number;
  },
): Promise<ReservationOutcome> {
  const {budget, month, jobId, kilograms} = request;
  return appendBudgetEntry<ReservationOutcome>(blobs, budget.projectId, month,
    (state) => {
      const share = state.jobs[jobId];
      if (share?.settled) {
        return {done: {status: 'already-settled', usedKg: state.usedKg}};
      }
      const deltaKg = kilograms - (share?.netKg ?? 0);
      if (Math.abs(deltaKg) < SAME_KG) {
        return {done: {status: 'reserved', entry: null,
          usedKg: state.usedKg}};
      }
      if (deltaKg > 0 &&
          !fitsBudget(state.usedKg, deltaKg, budget.carbonBudgetKg)) {
        return {done: {
          status: 'over-budget',
          usedKg: state.usedKg,
          availableKg: budget.carbonBudgetKg - state.usedKg +
            (share?.netKg ?? 0),
        }};
      }
      return {
        append: {
          jobId, kind: 'reserve', deltaKg, jobNetKg: kilograms,
          budgetKg: budget.carbonBudgetKg, atMs: request.nowMs,
          note: 'forecast scope 2 of the plan',
        },
        result: (entry) => ({status: 'reserved', entry,
          usedKg: entry.usedKg}),
      };
    });
}

/** Gives back a job's whole reservation in a month (not once settled). */
export async function releaseBudget(
  blobs: BlobStore,
  request: {
    readonly projectId: string;
    readonly month: string;
    readonly jobId: string;
    readonly nowMs: number;
    readonly note: string;
  },
): Promise<BudgetEntry | null> {
  return appendBudgetEntry<BudgetEntry | null>(blobs, request.projectId,
    request.month, (state) => {
      const share = state.jobs[request.jobId];
      if (!share || share.settled || Math.abs(share.netKg) < SAME_KG) {
        return {done: null};
      }
      return {
        append: {
          jobId: request.jobId, kind: 'release', deltaKg: -share.netKg,
          jobNetKg: 0, budgetKg: lastBudget(state), atMs: request.nowMs,
          note: request.note,
        },
        result: (entry) => entry,
      };
    });
}

/**
 * Replaces a job's reservation with its measured figure (trues it up,
 * up or down). A measured figure that is unknown (null) keeps the
 * reservation, settled, never counting the job as 0.
 */
export async function settleBudget(
  blobs: BlobStore,
  request: {
    readonly projectId: string;
    readonly month: string;
    readonly jobId: string;
    readonly measuredKg: number | null;
    /** The budget now, for a job that had no reservation. */
    readonly budgetKg: number | null;
    readonly nowMs: number;
  },
): Promise<BudgetEntry | null> {
  return appendBudgetEntry<BudgetEntry | null>(blobs, request.projectId,
    request.month, (state) => {
      const share = state.jobs[request.jobId];
      if (share?.settled) return {done: null};
      if (!share && request.budgetKg === null) return {done: null};
      const reservedKg = share?.netKg ?? 0;
      const measuredKg = request.measuredKg ?? reservedKg;
      return {
        append: {
          jobId: request.jobId, kind: 'settle',
          deltaKg: measuredKg - reservedKg, jobNetKg: measuredKg,
          budgetKg: request.budgetKg ?? lastBudget(state),
          atMs: request.nowMs,
          note: request.measuredKg === null
            ? 'measured scope 2 unknown (incomplete); reservation kept'
            : 'measured scope 2 location-based',
        },
        result: (entry) => entry,
      };
    });
}

function lastBudget(state: BudgetMonthState): number | null {
  return state.entries.at(-1)?.budgetKg ?? null;
}
