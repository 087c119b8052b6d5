/**
 * The cost of one run segment in one region, from prefix sums.
 */
import {
  cumulativeIntensity,
  integralBetween,
  integralBetweenOrNaN,
} from './cumulative-intensity.js';
import type {CumulativeIntensity} from './cumulative-intensity.js';
import {MILLISECONDS_PER_HOUR} from './plan-types.js';
import type {PlanCandidate} from './plan-types.js';

/** What a segment costs, or null when data is missing under it. */
export interface SegmentCost {
  readonly averageGramsPerKilowattHour: number;
  /** IT energy x PUE x intensity over the whole segment. */
  readonly emissionsGrams: number;
  /** Transfer energy x the segment's average intensity. */
  readonly transferEmissionsGrams: number;
  /** emissions + transfer + costWeight x price x hours. */
  readonly score: number;
}

/** Prices a segment of a region; built once per region. */
export class RegionSegmentCosts {
  readonly regionId: string;
  private readonly totals: CumulativeIntensity;
  private readonly gramsPerIntensityMs: number;
  private readonly pricePerMs: number;

  /**
   * @param costWeight - grams per unit of price (0: carbon only)
   */
  constructor(
    candidate: PlanCandidate,
    itPowerKilowatts: number,
    costWeight: number,
  ) {
    this.regionId = candidate.regionId;
    this.totals = cumulativeIntensity(candidate.series,
      `candidates[${candidate.regionId}].series`);
    this.gramsPerIntensityMs = itPowerKilowatts *
      candidate.powerUsageEffectiveness / MILLISECONDS_PER_HOUR;
    this.pricePerMs = costWeight > 0 ?
      costWeight * (candidate.pricePerHour ?? NaN) / MILLISECONDS_PER_HOUR :
      0;
  }

  /**
   * Cost of running over [startMs, endMs) and moving
   * `transferKilowattHours` into the region first.
   */
  cost(
    startMs: number,
    endMs: number,
    transferKilowattHours: number,
  ): SegmentCost | null {
    const integral = integralBetween(this.totals, startMs, endMs);
    if (integral === null) return null;
    const lengthMs = endMs - startMs;
    const averageGramsPerKilowattHour = integral / lengthMs;
    const emissionsGrams = integral * this.gramsPerIntensityMs;
    const transferEmissionsGrams = transferKilowattHours *
      averageGramsPerKilowattHour;
    return {averageGramsPerKilowattHour, emissionsGrams,
      transferEmissionsGrams,
      score: emissionsGrams + transferEmissionsGrams +
        this.pricePerMs * lengthMs};
  }

  /**
   * The `score` of cost(), computed the same way without allocating;
   * NaN where cost() gives null. For the search's inner loop.
   */
  scoreOf(
    startMs: number,
    endMs: number,
    transferKilowattHours: number,
  ): number {
    const integral = integralBetweenOrNaN(this.totals, startMs, endMs);
    const lengthMs = endMs - startMs;
    const averageGramsPerKilowattHour = integral / lengthMs;
    const emissionsGrams = integral * this.gramsPerIntensityMs;
    const transferEmissionsGrams = transferKilowattHours *
      averageGramsPerKilowattHour;
    return emissionsGrams + transferEmissionsGrams +
      this.pricePerMs * lengthMs;
  }
}
