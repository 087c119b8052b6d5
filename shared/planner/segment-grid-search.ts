/**
 * The exact search behind planInterruptible: dynamic programming over
 * (grid slot, work units done, pauses used, region), where a state means
 * "idle at this slot, with this much work saved, last run there".
 */
import type {RegionSegmentCosts, SegmentCost} from './segment-cost.js';

/** The job on its grid: starts at originMs + i x stepMs, i <= slotCount. */
export interface GridJob {
  readonly originMs: number;
  readonly stepMs: number;
  readonly slotCount: number;
  readonly deadlineMs: number;
  readonly workMs: number;
  readonly checkpointEveryMs: number;
  readonly unitCount: number;
  readonly minRunMs: number;
  readonly maxPauses: number;
  readonly checkpointOverheadMs: number;
  readonly restartOverheadMs: number;
  readonly checkpointTransferKilowattHours: number;
  readonly datasetTransferKilowattHours: number;
  /** costWeight x egress price of moving the checkpoint once. */
  readonly checkpointEgressScore: number;
  /** costWeight x egress price of moving the dataset once. */
  readonly datasetEgressScore: number;
  /** Index into the regions of the dataset's region, or -1. */
  readonly datasetRegionIndex: number;
}

/** One run of the chosen plan. */
export interface GridSegment {
  readonly regionIndex: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly workMs: number;
  readonly restartOverheadMs: number;
  readonly checkpointOverheadMs: number;
  readonly cost: SegmentCost;
}

export interface GridSolution {
  readonly score: number;
  readonly segments: readonly GridSegment[];
}

/**
 * Minimises the summed segment score. Each segment starts on the grid,
 * runs a restart overhead (not the first), k whole checkpoint units and
 * a checkpoint overhead (not the last); it lasts at least minRunMs
 * unless it is the only one, and must end by the deadline. The next
 * segment may start on the first slot after it ends.
 *
 * Time O(T x P x U x R x R x U) for T slots, P pauses, U units, R
 * regions, each segment priced in O(log points); memory O(T x P x U x R).
 */
export function searchSegmentGrid(
  regions: readonly RegionSegmentCosts[],
  job: GridJob,
): GridSolution | null {
  const T = job.slotCount;
  const U = job.unitCount;
  const P = job.maxPauses;
  const R = regions.length;
  const index = (p: number, u: number, i: number, r: number) =>
    ((p * (U + 1) + u) * (T + 1) + i) * R + r;
  const size = (P + 1) * (U + 1) * (T + 1) * R;
  const best = new Float64Array(size).fill(Infinity);
  const parent = new Int32Array(size).fill(-1);
  const fromSlot = new Int32Array(size);
  const units = new Int32Array(size);
  let final: {score: number; pauses: number; endMs: number; parent: number;
    slot: number; region: number; units: number} | null = null;

  // Tries every segment from (state, slot) into each region.
  const extend = (state: number, p: number, u: number, i: number,
    fromRegion: number, baseScore: number) => {
    const startMs = job.originMs + i * job.stepMs;
    for (let r = 0; r < R; r += 1) {
      const transfer = transferInto(job, fromRegion, r);
      const egress = egressInto(job, fromRegion, r);
      for (let k = 1; u + k <= U; k += 1) {
        const isFirst = state === -1;
        const isLast = u + k === U;
        const workMs = Math.min(k * job.checkpointEveryMs,
          job.workMs - u * job.checkpointEveryMs);
        const restartMs = isFirst ? 0 : job.restartOverheadMs;
        const checkpointMs = isLast ? 0 : job.checkpointOverheadMs;
        const endMs = startMs + restartMs + workMs + checkpointMs;
        if (endMs > job.deadlineMs) break;
        if (!(isFirst && isLast) && endMs - startMs < job.minRunMs) continue;
        const segmentScore = (regions[r] as RegionSegmentCosts)
          .scoreOf(startMs, endMs, transfer);
        // missing data: longer runs cover the same hole
        if (Number.isNaN(segmentScore)) break;
        const score = baseScore + segmentScore + egress;
        const pauses = isFirst ? 0 : p + 1;
        if (isLast) {
          if (final === null || betterFinal(score, pauses, endMs, final)) {
            final = {score, pauses, endMs, parent: state, slot: i,
              region: r, units: k};
          }
          continue;
        }
        const next = Math.ceil((endMs - job.originMs) / job.stepMs - 1e-9);
        if (next > T) continue;
        const target = index(pauses, u + k, next, r);
        if (score < (best[target] as number)) {
          best[target] = score;
          parent[target] = state;
          fromSlot[target] = i;
          units[target] = k;
        }
      }
    }
  };

  for (let i = 0; i <= T; i += 1) {
    extend(-1, -1, 0, i, -1, 0);
    for (let p = 0; p <= P; p += 1) {
      for (let u = 1; u < U; u += 1) {
        for (let r = 0; r < R; r += 1) {
          const state = index(p, u, i, r);
          const score = best[state] as number;
          if (score === Infinity || p === P) continue;
          if (i < T && score < (best[state + R] as number)) {
            best[state + R] = score; // wait one slot, same history
            parent[state + R] = parent[state] as number;
            fromSlot[state + R] = fromSlot[state] as number;
            units[state + R] = units[state] as number;
          }
          extend(state, p, u, i, r, score);
        }
      }
    }
  }
  if (final === null) return null;
  return rebuild(regions, job, final, {parent, fromSlot, units, index});
}

function transferInto(job: GridJob, fromRegion: number, toRegion: number) {
  if (fromRegion === toRegion) return 0;
  const dataset = toRegion === job.datasetRegionIndex ? 0 :
    job.datasetTransferKilowattHours;
  const checkpoint = fromRegion === -1 ? 0 :
    job.checkpointTransferKilowattHours;
  return dataset + checkpoint;
}

function egressInto(job: GridJob, fromRegion: number, toRegion: number) {
  if (fromRegion === toRegion) return 0;
  const dataset = toRegion === job.datasetRegionIndex ? 0 :
    job.datasetEgressScore;
  const checkpoint = fromRegion === -1 ? 0 : job.checkpointEgressScore;
  return dataset + checkpoint;
}

// Lower score; within 1e-9 relative, fewer pauses, then earlier end.
function betterFinal(
  score: number, pauses: number, endMs: number,
  current: {score: number; pauses: number; endMs: number},
): boolean {
  const scale = Math.max(Math.abs(score), Math.abs(current.score));
  if (Math.abs(score - current.score) > 1e-9 * scale) {
    return score < current.score;
  }
  if (pauses !== current.pauses) return pauses < current.pauses;
  return endMs < current.endMs;
}

interface Trail {
  parent: Int32Array;
  fromSlot: Int32Array;
  units: Int32Array;
  index: (p: number, u: number, i: number, r: number) => number;
}

// Walks the back-pointers from the last segment to the first.
function rebuild(
  regions: readonly RegionSegmentCosts[],
  job: GridJob,
  final: {score: number; parent: number; slot: number; region: number;
    units: number},
  trail: Trail,
): GridSolution {
  const R = regions.length;
  const steps: {slot: number; region: number; units: number}[] = [
    {slot: final.slot, region: final.region, units: final.units}];
  for (let state = final.parent; state !== -1;
    state = trail.parent[state] as number) {
    steps.unshift({slot: trail.fromSlot[state] as number, region: state % R,
      units: trail.units[state] as number});
  }

  let done = 0;
  const segments = steps.map((step, position) => {
    const isFirst = position === 0;
    const isLast = position === steps.length - 1;
    const workMs = Math.min(step.units * job.checkpointEveryMs,
      job.workMs - done * job.checkpointEveryMs);
    done += step.units;
    const restartOverheadMs = isFirst ? 0 : job.restartOverheadMs;
    const checkpointOverheadMs = isLast ? 0 : job.checkpointOverheadMs;
    const startMs = job.originMs + step.slot * job.stepMs;
    const endMs = startMs + restartOverheadMs + workMs + checkpointOverheadMs;
    const previous = isFirst ? -1 : (steps[position - 1]?.region ?? -1);
    const cost = (regions[step.region] as RegionSegmentCosts).cost(startMs,
      endMs, transferInto(job, previous, step.region)) as SegmentCost;
    return {regionIndex: step.region, startMs, endMs, workMs,
      restartOverheadMs, checkpointOverheadMs, cost};
  });
  return {score: final.score, segments};
}
