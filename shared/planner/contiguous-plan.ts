/**
 * The greenest (region, start) for a job that runs without a pause.
 */
import type {IntensityBasis} from '../signals/intensity-series.js';
import {checkBaseInput, positive, splitByBasis} from './plan-input-checks.js';
import {TRANSFER_KILOWATT_HOURS_PER_GIGABYTE} from './plan-types.js';
import type {
  DataQualityNote,
  PlanBaseInput,
  PlannedWindow,
} from './plan-types.js';
import {sweepRegion} from './region-windows.js';
import type {RegionWindows} from './region-windows.js';
import {compareWindows} from './window-order.js';

/** A contiguous job and the regions it may run in. */
export interface ContiguousPlanInput extends PlanBaseInput {
  /** Run time at full speed. */
  readonly durationMs: number;
  /** List every evaluated start per region (for "why" and tests). */
  readonly listCandidates?: boolean;
}

/** A region the planner saw, with what it offered or why it was left. */
export interface RegionSummary extends RegionWindows {
  readonly isHome: boolean;
  readonly excluded: null | 'basis-mismatch' | 'no-eligible-window';
}

interface PlanFacts {
  readonly basis: IntensityBasis | null;
  readonly basisMismatch: boolean;
  readonly regions: readonly RegionSummary[];
  readonly dataQualityNotes: readonly DataQualityNote[];
}

/** The chosen window and the evidence behind it. */
export interface ContiguousPlan extends PlanFacts {
  readonly feasible: true;
  readonly chosen: PlannedWindow;
  /** Coverage end of the chosen region's series. */
  readonly coverageEndMs: number;
  /** The chosen series ends before the deadline: re-plan on new data. */
  readonly deadlineBeyondCoverage: boolean;
}

export type InfeasibleReason =
  | 'no-candidates'
  | 'window-too-short'
  | 'no-eligible-window';

/** No window fits; `reason` says which condition failed. */
export interface InfeasibleContiguousPlan extends PlanFacts {
  readonly feasible: false;
  readonly reason: InfeasibleReason;
  readonly message: string;
}

export type ContiguousPlanResult = ContiguousPlan | InfeasibleContiguousPlan;

/**
 * Finds the window of `durationMs` that ends by the deadline and has the
 * lowest score (emissions + dataset transfer energy + costWeight x
 * (hardware price + dataset egress price)) over
 * all regions, with continuous start times. Each region costs
 * O(points): the candidate starts are the earliest start, the latest
 * start, every boundary and every boundary minus the duration, read
 * through prefix sums. Ties: earliest start, home region, region name.
 *
 * @throws PlannerInputError, MissingPriceError, BasisMismatchError
 */
export function planContiguous(
  input: ContiguousPlanInput,
): ContiguousPlanResult {
  checkBaseInput(input);
  positive('durationMs', input.durationMs);
  const {basis, kept, mismatched} = splitByBasis(input);
  const isHome = homeLookup(input);
  const job = {durationMs: input.durationMs,
    earliestStartMs: input.earliestStartMs, deadlineMs: input.deadlineMs,
    itPowerKilowatts: input.itPowerKilowatts,
    costWeight: input.costWeight ?? 0,
    transferKilowattHoursAway: (input.datasetGigabytes ?? 0) *
      TRANSFER_KILOWATT_HOURS_PER_GIGABYTE,
    egressScoreAway: (input.costWeight ?? 0) > 0 ?
      (input.costWeight ?? 0) * (input.datasetGigabytes ?? 0) *
        (input.egressPricePerGigabyte ?? 0) : 0,
    datasetRegionId: input.datasetRegionId ?? null,
    listCandidates: input.listCandidates ?? false};

  const swept: RegionSummary[] = [];
  for (const candidate of kept) {
    const windows = sweepRegion(candidate, job);
    swept.push(summarize(windows, windows.best, isHome(candidate.regionId),
      windows.best === null ? 'no-eligible-window' : null));
  }
  const regions = swept.slice();
  for (const candidate of mismatched) {
    regions.push(summarize(sweepRegion(candidate,
      {...job, listCandidates: false}), null, isHome(candidate.regionId),
    'basis-mismatch'));
  }
  if (!sortedById(regions)) regions.sort(byRegionId);
  const facts: PlanFacts = {basis, basisMismatch: mismatched.length > 0,
    regions, dataQualityNotes: qualityNotes(regions)};

  const bests: PlannedWindow[] = [];
  for (const region of swept) {
    if (region.best !== null) bests.push(region.best);
  }
  const chosen = preferredWindow(bests, isHome);
  if (chosen === undefined) return infeasible(input, facts);
  const region = regions.find((r) => r.regionId === chosen.regionId);
  return {feasible: true, chosen, basis: facts.basis,
    basisMismatch: facts.basisMismatch, regions: facts.regions,
    dataQualityNotes: facts.dataQualityNotes,
    coverageEndMs: region?.coverageEndMs ?? chosen.endMs,
    deadlineBeyondCoverage: region?.deadlineBeyondCoverage ?? false};
}

/**
 * The window that sorting by compareWindows puts first. The tie
 * tolerance makes that order intransitive, so the answer is whatever
 * the sort does; but a window that compares before every other one
 * ends first after the sort (another could end before it only by
 * comparing before it), and finding and checking that window takes two
 * passes of inlined comparisons instead of a sort calling a closure.
 */
function preferredWindow(
  windows: PlannedWindow[],
  isHome: (regionId: string) => boolean,
): PlannedWindow | undefined {
  let first = windows[0];
  if (first === undefined) return undefined;
  for (const window of windows) {
    if (compareWindows(window, first, isHome) < 0) first = window;
  }
  for (const window of windows) {
    if (window !== first && !(compareWindows(first, window, isHome) < 0)) {
      windows.sort((a, b) => compareWindows(a, b, isHome));
      return windows[0];
    }
  }
  return first;
}

function byRegionId(a: RegionSummary, b: RegionSummary): number {
  return a.regionId < b.regionId ? -1 : a.regionId > b.regionId ? 1 : 0;
}

// Candidates usually come sorted: one pass instead of a sort.
function sortedById(regions: readonly RegionSummary[]): boolean {
  for (let index = 1; index < regions.length; index += 1) {
    if (byRegionId(regions[index - 1]!, regions[index]!) > 0) return false;
  }
  return true;
}

// The region's windows with what the plan adds, every field written
// out: an object spread here costs more than sweeping the region.
function summarize(
  windows: RegionWindows,
  best: RegionWindows['best'],
  isHome: boolean,
  excluded: RegionSummary['excluded'],
): RegionSummary {
  const {regionId, evaluatedStartCount, eligibleStartCount,
    firstEligibleStartMs, lastEligibleStartMs, coverageEndMs,
    deadlineBeyondCoverage, uncovered, candidates} = windows;
  if (candidates === undefined) {
    return {regionId, best, evaluatedStartCount, eligibleStartCount,
      firstEligibleStartMs, lastEligibleStartMs, coverageEndMs,
      deadlineBeyondCoverage, uncovered, isHome, excluded};
  }
  return {regionId, best, evaluatedStartCount, eligibleStartCount,
    firstEligibleStartMs, lastEligibleStartMs, coverageEndMs,
    deadlineBeyondCoverage, uncovered, candidates, isHome, excluded};
}

function homeLookup(input: PlanBaseInput): (regionId: string) => boolean {
  const homes = new Set<string>();
  for (const c of input.candidates) {
    if (c.isHome === true) homes.add(c.regionId);
  }
  return (regionId) => homes.has(regionId);
}

// Gaps and nulls only: running past coverage is reported by its flag.
function qualityNotes(regions: readonly RegionSummary[]): DataQualityNote[] {
  const notes: DataQualityNote[] = [];
  for (const region of regions) {
    for (const u of region.uncovered) {
      if (u.reason === 'gap' || u.reason === 'missing-value') {
        notes.push({regionId: region.regionId, ...u});
      }
    }
  }
  return notes;
}

function infeasible(
  input: ContiguousPlanInput,
  facts: PlanFacts,
): InfeasibleContiguousPlan {
  const windowMs = input.deadlineMs - input.earliestStartMs;
  if (input.candidates.length === 0) {
    return {feasible: false, reason: 'no-candidates', ...facts,
      message: 'candidates: empty; no region to plan in'};
  }
  if (windowMs < input.durationMs) {
    return {feasible: false, reason: 'window-too-short', ...facts,
      message: `deadlineMs - earliestStartMs is ${windowMs} ms, shorter ` +
        `than durationMs ${input.durationMs} ms`};
  }
  return {feasible: false, reason: 'no-eligible-window', ...facts,
    message: 'no region has forecast data covering a whole window of ' +
      `${input.durationMs} ms that ends by the deadline`};
}
