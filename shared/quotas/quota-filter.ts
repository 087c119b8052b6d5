/**
 * Leaves out the regions where the job's accelerators do not fit the
 * project's quota, each with the reason. A limit that cannot be read
 * keeps the region (a launch there still fails over to the next region
 * on a quota error) and says so.
 */
import type {
  AcceleratorQuota,
  QuotaChecker,
} from '../ports/quota-checker.js';

/** The machine reason of a region left out for lack of GPU quota. */
export const NO_GPU_QUOTA = 'no-gpu-quota';

/** What the job needs at once. */
export interface AcceleratorNeed {
  readonly acceleratorType: string;
  /** acceleratorCount x replicas. */
  readonly acceleratorCount: number;
}

/** The outcome of the quota filter. */
export interface QuotaFilterResult {
  readonly kept: readonly string[];
  readonly excluded: readonly {
    readonly region: string;
    readonly reason: string;
  }[];
  /** Regions kept without a known limit, with why. */
  readonly unknown: readonly {
    readonly region: string;
    readonly reason: string;
  }[];
}

/**
 * @param regionIds - candidate regions, in the caller's order
 * @returns the regions kept, in the same order, and the rest with reasons
 */
export async function filterRegionsByQuota(
  regionIds: readonly string[],
  need: AcceleratorNeed,
  checker: QuotaChecker,
): Promise<QuotaFilterResult> {
  type Answer =
    | {region: string; quota: AcceleratorQuota}
    | {region: string; error: Error};
  const answers = await Promise.all(regionIds.map(
    async (region): Promise<Answer> => {
      try {
        return {region, quota: await checker.acceleratorQuota(region,
          need.acceleratorType)};
      } catch (error) {
        return {region, error: error as Error};
      }
    }));

  const kept: string[] = [];
  const excluded: {region: string; reason: string}[] = [];
  const unknown: {region: string; reason: string}[] = [];
  for (const answer of answers) {
    if ('error' in answer) {
      kept.push(answer.region);
      unknown.push({region: answer.region,
        reason: `quota not read: ${answer.error.message}`});
      continue;
    }
    const {limit, source} = answer.quota;
    if (limit === null) {
      kept.push(answer.region);
      unknown.push({region: answer.region,
        reason: `no quota limit published (${source})`});
    } else if (limit < need.acceleratorCount) {
      excluded.push({region: answer.region,
        reason: `no GPU quota: ${need.acceleratorCount} x ` +
          `${need.acceleratorType} needed, the project's limit in ` +
          `${answer.region} is ${limit} (${source})`});
    } else {
      kept.push(answer.region);
    }
  }
  return {kept, excluded, unknown};
}
