/**
 * Typed errors of the planners and the pause policy. All are permanent:
 * the same input fails the same way, so a retry cannot help.
 */
import {SchedulerError} from '../errors.js';
import type {IntensityBasis} from '../signals/intensity-series.js';

/** A planner input field holds a value the planner cannot use. */
export class PlannerInputError extends SchedulerError {
  readonly field: string;

  /**
   * @param field - dotted path of the offending field
   * @param problem - what was wrong with it
   * @param allowed - what the field accepts
   */
  constructor(field: string, problem: string, allowed: string) {
    super(
      'planner-input-invalid',
      `${field}: ${problem}; allowed: ${allowed}`,
    );
    this.field = field;
  }
}

/** costWeight asks for prices, but a region has none (never read as 0). */
export class MissingPriceError extends SchedulerError {
  readonly regionId: string;

  /**
   * @param regionId - the candidate without an hourly price, or
   *   `egressPricePerGigabyte` when the dataset's egress price is missing
   */
  constructor(regionId: string, costWeight: number) {
    const field = regionId === 'egressPricePerGigabyte' ? regionId :
      `candidates[${regionId}].pricePerHour`;
    super(
      'price-missing',
      `${field}: missing while costWeight is ${costWeight}; allowed: a ` +
        'known price >= 0 (see data/prices/), or costWeight 0',
    );
    this.regionId = regionId;
  }
}

/** Candidate series measure different things and no basis was chosen. */
export class BasisMismatchError extends SchedulerError {
  readonly basisByRegion: Readonly<Record<string, IntensityBasis>>;

  constructor(basisByRegion: Record<string, IntensityBasis>) {
    const listed = Object.entries(basisByRegion)
      .map(([regionId, basis]) => `${regionId}=${basis}`)
      .join(', ');
    super(
      'basis-mismatch',
      `candidates[].series.basis: series mix bases (${listed}); ` +
        'allowed: one basis for every candidate, or name `basis` so ' +
        'the others are excluded',
    );
    this.basisByRegion = basisByRegion;
  }
}
