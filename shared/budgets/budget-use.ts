/**
 * A project's budget use in one month, for reports: what is reserved by
 * jobs not yet finished, what finished jobs measured, and what is left.
 */
import type {BlobStore} from '../ports/blob-store.js';
import {budgetOf, type BudgetsConfig} from './budget-config.js';
import {readBudgetMonth} from './budget-ledger.js';

/** Budget use of one project and month. */
export interface BudgetUse {
  readonly projectId: string;
  /** YYYY-MM. */
  readonly month: string;
  /** Null when the project has no budget configured. */
  readonly carbonBudgetKg: number | null;
  readonly basis: 'scope 2 location-based kgCO2e';
  /** Open reservations of jobs that have not ended. */
  readonly reservedKg: number;
  /** Measured figures of ended jobs. */
  readonly settledKg: number;
  readonly usedKg: number;
  readonly remainingKg: number | null;
  readonly usedPercent: number | null;
  readonly jobs: readonly {
    readonly jobId: string;
    readonly kilograms: number;
    readonly settled: boolean;
  }[];
}

/** Reads a project's budget use for a month (YYYY-MM). */
export async function readBudgetUse(
  blobs: BlobStore,
  config: BudgetsConfig | null,
  projectId: string,
  month: string,
): Promise<BudgetUse> {
  const state = await readBudgetMonth(blobs, projectId, month);
  const configured = budgetOf(config, projectId)?.carbonBudgetKg ??
    state.entries.at(-1)?.budgetKg ?? null;
  const jobs = Object.entries(state.jobs)
    .filter(([, share]) => share.netKg !== 0 || share.settled)
    .map(([jobId, share]) => ({jobId, kilograms: share.netKg,
      settled: share.settled}))
    .sort((a, b) => a.jobId.localeCompare(b.jobId));
  const sum = (settled: boolean) => jobs
    .filter((job) => job.settled === settled)
    .reduce((total, job) => total + job.kilograms, 0);
  return {
    projectId,
    month,
    carbonBudgetKg: configured,
    basis: 'scope 2 location-based kgCO2e',
    reservedKg: sum(false),
    settledKg: sum(true),
    usedKg: state.usedKg,
    remainingKg: configured === null ? null : configured - state.usedKg,
    usedPercent: configured === null ? null
      : (100 * state.usedKg) / configured,
    jobs,
  };
}
