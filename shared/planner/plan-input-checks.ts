/**
 * Checks of the inputs both planners share, and the basis decision.
 */
import type {IntensityBasis} from '../signals/intensity-series.js';
import {
  BasisMismatchError,
  MissingPriceError,
  PlannerInputError,
} from './planner-errors.js';
import type {PlanBaseInput, PlanCandidate} from './plan-types.js';

/** Which candidates share the ranking basis and which do not. */
export interface BasisSplit {
  readonly basis: IntensityBasis | null;
  readonly kept: readonly PlanCandidate[];
  readonly mismatched: readonly PlanCandidate[];
}

/**
 * Validates the shared fields; throws a typed error naming the field.
 *
 * @throws PlannerInputError for an unusable number or duplicate region
 * @throws MissingPriceError when costWeight > 0 and a price is missing
 */
export function checkBaseInput(input: PlanBaseInput): void {
  finite('earliestStartMs', input.earliestStartMs);
  finite('deadlineMs', input.deadlineMs);
  positive('itPowerKilowatts', input.itPowerKilowatts);
  const costWeight = input.costWeight ?? 0;
  if (!(Number.isFinite(costWeight) && costWeight >= 0)) {
    throw new PlannerInputError('costWeight', `${costWeight} is unusable`,
      'a finite number >= 0');
  }
  if (input.datasetGigabytes !== undefined &&
    !(Number.isFinite(input.datasetGigabytes) && input.datasetGigabytes >= 0)) {
    throw new PlannerInputError('datasetGigabytes',
      `${input.datasetGigabytes} is unusable`, 'a finite number >= 0');
  }

  checkEgressPrice(input, costWeight);

  // Candidates usually come sorted by id, which proves the ids distinct
  // at one comparison each; the set (slower) is for any other order.
  const seen = idsIncrease(input.candidates) ? null : new Set<string>();
  for (const candidate of input.candidates) {
    if (seen !== null) {
      if (seen.has(candidate.regionId)) {
        throw new PlannerInputError(`candidates[${candidate.regionId}]` +
          '.regionId', 'appears twice', 'each region once');
      }
      seen.add(candidate.regionId);
    }
    if (!(candidate.powerUsageEffectiveness >= 1 &&
      Number.isFinite(candidate.powerUsageEffectiveness))) {
      throw new PlannerInputError(`candidates[${candidate.regionId}]` +
        '.powerUsageEffectiveness',
        `${candidate.powerUsageEffectiveness} is unusable`,
        'a finite number >= 1');
    }
    checkPrice(candidate, costWeight);
  }
}

/** Fails unless `value` is a finite number > 0. */
export function positive(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new PlannerInputError(field, `${value} is unusable`,
      'a finite number > 0');
  }
}

/** Fails unless `value` is a finite number >= 0. */
export function nonNegative(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new PlannerInputError(field, `${value} is unusable`,
      'a finite number >= 0');
  }
}

/**
 * Splits candidates by basis: the requested one, or the one all share.
 *
 * @throws BasisMismatchError when bases differ and none was requested
 */
export function splitByBasis(input: PlanBaseInput): BasisSplit {
  // The usual case first: no basis asked for and one basis shared.
  const first = input.candidates[0]?.series.basis;
  if (input.basis === undefined &&
    input.candidates.every((c) => c.series.basis === first)) {
    return {basis: first ?? null, kept: input.candidates, mismatched: []};
  }
  const bases = new Set(input.candidates.map((c) => c.series.basis));
  const basis = input.basis ?? (bases.size <= 1 ?
    [...bases][0] ?? null : null);
  if (basis === null && bases.size > 1) {
    const basisByRegion: Record<string, IntensityBasis> = {};
    for (const c of input.candidates) {
      basisByRegion[c.regionId] = c.series.basis;
    }
    throw new BasisMismatchError(basisByRegion);
  }
  const kept = input.candidates.filter((c) => c.series.basis === basis);
  const mismatched = input.candidates.filter((c) => c.series.basis !== basis);
  return {basis, kept, mismatched};
}

// Whether every region id sorts strictly after the one before it.
function idsIncrease(candidates: readonly PlanCandidate[]): boolean {
  for (let index = 1; index < candidates.length; index += 1) {
    if (!(candidates[index - 1]!.regionId < candidates[index]!.regionId)) {
      return false;
    }
  }
  return true;
}

function checkPrice(candidate: PlanCandidate, costWeight: number): void {
  const price = candidate.pricePerHour;
  if (price === null || price === undefined) {
    if (costWeight > 0) throw new MissingPriceError(candidate.regionId,
      costWeight);
    return;
  }
  if (!(Number.isFinite(price) && price >= 0)) {
    throw new PlannerInputError(`candidates[${candidate.regionId}]` +
      '.pricePerHour', `${price} is unusable`, 'a finite number >= 0');
  }
}

// A dataset that may move under costWeight needs its egress price.
function checkEgressPrice(input: PlanBaseInput, costWeight: number): void {
  const price = input.egressPricePerGigabyte;
  if (price !== null && price !== undefined) {
    nonNegative('egressPricePerGigabyte', price);
    return;
  }
  const moves = (input.datasetGigabytes ?? 0) > 0 &&
    input.datasetRegionId !== undefined &&
    input.candidates.some((c) => c.regionId !== input.datasetRegionId);
  if (costWeight > 0 && moves) {
    throw new MissingPriceError('egressPricePerGigabyte', costWeight);
  }
}

function finite(field: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new PlannerInputError(field, `${value} is not a finite instant`,
      'milliseconds since the Unix epoch');
  }
}
