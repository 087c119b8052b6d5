/**
 * The cost of one run segment in one region, from prefix sums.
 */
import {
  cumulativeIntensity,
  integralBetween,
  integralBetweenOrNaN,
  TotalsCursor,
} from './cumulative-intensity.js';
import type {
  CumulativeIntensity,
  RunningTotals,
} from './cumulative-intensity.js';
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
    return this.scoreOfIntegral(
      integralBetweenOrNaN(this.totals, startMs, endMs), endMs - startMs,
      transferKilowattHours);
  }

  /**
   * scoreOf from the segment's integral (NaN: data missing) and length,
   * for callers that read many integrals at once.
   */
  scoreOfIntegral(
    integral: number,
    lengthMs: number,
    transferKilowattHours: number,
  ): number {
    const averageGramsPerKilowattHour = integral / lengthMs;
    const emissionsGrams = integral * this.gramsPerIntensityMs;
    const transferEmissionsGrams = transferKilowattHours *
      averageGramsPerKilowattHour;
    return emissionsGrams + transferEmissionsGrams +
      this.pricePerMs * lengthMs;
  }

  /**
   * The running totals at instantsMs[j] for j in [first, first + count x
   * stride) by stride, instants that never decrease, read by a forward
   * cursor (O(count) on a regular series, O(count + points) at most):
   * the integral and the missing time
   * integralBetweenOrNaN subtracts, or NaN for an instant outside the
   * coverage. A window's integral is then the difference of its end's
   * and its start's, NaN where the missing times differ by over 1e-6.
   * `skip[j]` 1 leaves entry j as it is.
   */
  totalsAlong(
    instantsMs: Float64Array,
    lane: {first: number; count: number; stride: number},
    skip: Uint8Array | null,
    integralInto: Float64Array,
    missingInto: Float64Array,
  ): void {
    const {coverageStartMs, coverageEndMs} = this.totals;
    const cursor = new TotalsCursor(this.totals);
    const at: RunningTotals = {integral: 0, missingMs: 0};
    const {first, count, stride} = lane;
    for (let n = 0, j = first; n < count; n += 1, j += stride) {
      if (skip !== null && skip[j] === 1) continue;
      const instantMs = instantsMs[j] as number;
      if (coverageStartMs === null || coverageEndMs === null ||
        instantMs < coverageStartMs || instantMs > coverageEndMs) {
        integralInto[j] = NaN;
        missingInto[j] = NaN;
        continue;
      }
      cursor.jumpTo(instantMs, at);
      integralInto[j] = at.integral;
      missingInto[j] = at.missingMs;
    }
  }
}
