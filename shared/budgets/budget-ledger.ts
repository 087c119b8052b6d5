/**
 * The per-project, per-month budget ledger: a numbered sequence of entry
 * blobs `budgets/<project>/<YYYY-MM>/<sequence>.json`, each created with
 * an exclusive create (GCS `ifGenerationMatch=0`, an exclusive open
 * locally). An entry states the month's running total after it, so the
 * next writer reads the highest entry, checks the budget, and creates the
 * following number. Two writers that read the same total race for the
 * same number; exactly one create succeeds and the other reads again and
 * decides on the new total, so two jobs can never both take the last
 * kilograms. Entries are never rewritten.
 */
import {SchedulerError} from '../errors.js';
import type {BlobStore} from '../ports/blob-store.js';

/** What an entry does to one job's share of the month. */
export type BudgetEntryKind = 'reserve' | 'release' | 'settle';

/** One entry of a month's budget ledger. */
export interface BudgetEntry {
  readonly sequence: number;
  readonly projectId: string;
  /** YYYY-MM (UTC). */
  readonly month: string;
  readonly jobId: string;
  readonly kind: BudgetEntryKind;
  /** Change to the month's total, kgCO2e. */
  readonly deltaKg: number;
  /** The job's share of the month after this entry, kgCO2e. */
  readonly jobNetKg: number;
  /** The month's total (reserved and settled) after this entry. */
  readonly usedKg: number;
  /** The budget in force when the entry was made. */
  readonly budgetKg: number | null;
  readonly atMs: number;
  readonly note: string;
}

/** One job's share of a month. */
export interface BudgetJobShare {
  readonly netKg: number;
  /** True once the job's measured figure replaced its reservation. */
  readonly settled: boolean;
}

/** A month's ledger as read. */
export interface BudgetMonthState {
  readonly projectId: string;
  readonly month: string;
  readonly entries: readonly BudgetEntry[];
  readonly usedKg: number;
  readonly jobs: Readonly<Record<string, BudgetJobShare>>;
}

/** A ledger that stayed contended or unreadable: try again later. */
export class BudgetLedgerBusyError extends SchedulerError {
  constructor(projectId: string, month: string, reason: string) {
    super('budget-ledger-busy',
      `budget ledger ${projectId} ${month}: ${reason}; the request is ` +
        'retried', {retryable: true});
  }
}

const MAX_RACES = 200;
const MAX_UNREADABLE_READS = 200;
const TOLERANCE_KG = 1e-9;

/** The key prefix of one month's entries. */
export function budgetMonthPrefix(projectId: string, month: string): string {
  return `budgets/${encodeURIComponent(projectId)}/${month}/`;
}

/** The UTC month (YYYY-MM) of an instant. */
export function budgetMonthOf(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 7);
}

/** The first instant of the UTC month after the one `instantMs` is in. */
export function startOfNextMonthMs(instantMs: number): number {
  const date = new Date(instantMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * Reads a month's entries in order and sums them.
 *
 * @throws BudgetLedgerBusyError - an entry stayed unreadable (half
 *   written by a crashed writer)
 */
export async function readBudgetMonth(
  blobs: BlobStore,
  projectId: string,
  month: string,
): Promise<BudgetMonthState> {
  const prefix = budgetMonthPrefix(projectId, month);
  const keys = (await blobs.list(prefix))
    .filter((key) => /\/\d{8}\.json$/.test(key));
  const entries: BudgetEntry[] = [];
  for (const key of keys) entries.push(await readEntry(blobs, key, projectId,
    month));
  const jobs: Record<string, BudgetJobShare> = {};
  for (const entry of entries) {
    jobs[entry.jobId] = {
      netKg: entry.jobNetKg,
      settled: entry.kind === 'settle' ||
        (jobs[entry.jobId]?.settled ?? false),
    };
  }
  return {
    projectId,
    month,
    entries,
    usedKg: entries.at(-1)?.usedKg ?? 0,
    jobs,
  };
}

/** What an entry writer wants, given the month as it stands. */
export type EntryDecision<T> =
  | {readonly append: Omit<BudgetEntry, 'sequence' | 'projectId' | 'month' |
      'usedKg'>; readonly result: (entry: BudgetEntry,
      state: BudgetMonthState) => T}
  | {readonly done: T};

/**
 * Appends one entry with a compare-and-swap loop: read the month, let
 * `decide` choose (on the state just read), create the next sequence
 * number exclusively, and on a lost race start again.
 *
 * @throws BudgetLedgerBusyError - lost too many races in a row
 */
export async function appendBudgetEntry<T>(
  blobs: BlobStore,
  projectId: string,
  month: string,
  decide: (state: BudgetMonthState) => EntryDecision<T>,
): Promise<T> {
  for (let race = 0; race < MAX_RACES; race += 1) {
    const state = await readBudgetMonth(blobs, projectId, month);
    const decision = decide(state);
    if ('done' in decision) return decision.done;
    const entry: BudgetEntry = {
      ...decision.append,
      sequence: state.entries.length,
      projectId,
      month,
      usedKg: state.usedKg + decision.append.deltaKg,
    };
    const key = budgetMonthPrefix(projectId, month) +
      String(entry.sequence).padStart(8, '0') + '.json';
    if (await blobs.createIfAbsent(key, JSON.stringify(entry))) {
      return decision.result(entry, state);
    }
  }
  throw new BudgetLedgerBusyError(projectId, month,
    `lost ${MAX_RACES} races for the next entry`);
}

/** Whether `extraKg` more fits a budget already used up to `usedKg`. */
export function fitsBudget(
  usedKg: number,
  extraKg: number,
  budgetKg: number,
): boolean {
  return usedKg + extraKg <= budgetKg + TOLERANCE_KG;
}

// An entry just created may be empty for a moment locally (exclusive
// open, then write): read again until it parses.
async function readEntry(
  blobs: BlobStore,
  key: string,
  projectId: string,
  month: string,
): Promise<BudgetEntry> {
  for (let read = 0; read < MAX_UNREADABLE_READS; read += 1) {
    const bytes = await blobs.read(key);
    if (bytes !== undefined && bytes.length > 0) {
      try {
        return JSON.parse(bytes.toString('utf8')) as BudgetEntry;
      } catch {
        // Half written; read again below.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new BudgetLedgerBusyError(projectId, month,
    `entry ${key} stayed unreadable`);
}
