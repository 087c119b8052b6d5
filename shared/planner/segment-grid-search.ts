/**
 * The exact search behind planInterruptible: dynamic programming over
 * (grid slot, work units done, pauses used, region), where a state means
 * "idle at this slot, with this much work saved, last run there".
 */
import type {RegionSegmentCosts, SegmentCost} from './segment-cost.js';
import {
  buildSegmentTable,
  enteringTransfer,
  SEGMENT_LATE,
  SEGMENT_SHORT,
} from './segment-score-table.js';
import type {SegmentTable} from './segment-score-table.js';

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
 * regions, each segment's score read from a table built once (see
 * buildSegmentTable); memory O(T x P x U x R).
 */
export function searchSegmentGrid(
  regions: readonly RegionSegmentCosts[],
  job: GridJob,
): GridSolution | null {
  const search = new GridSearch(job, buildSegmentTable(regions, job),
    regions.length);
  const {best, parent, fromSlot, units} = search;
  const T = job.slotCount;
  const U = job.unitCount;
  const P = job.maxPauses;
  const R = regions.length;
  for (let i = 0; i <= T; i += 1) {
    search.extend(-1, -1, 0, i, -1, 0);
    for (let p = 0; p < P; p += 1) {
      for (let u = 1; u < U; u += 1) {
        for (let r = 0; r < R; r += 1) {
          const state = search.index(p, u, i, r);
          const score = best[state] as number;
          if (score === Infinity || search.dominated(p, u, i, r, score)) {
            continue;
          }
          if (i < T && score < (best[state + R] as number)) {
            best[state + R] = score; // wait one slot, same history
            parent[state + R] = parent[state] as number;
            fromSlot[state + R] = fromSlot[state] as number;
            units[state + R] = units[state] as number;
          }
          search.extend(state, p, u, i, r, score);
        }
      }
    }
  }
  if (search.finalSlot === -1) return null;
  return rebuild(regions, job, {score: search.finalScore,
    parent: search.finalParent, slot: search.finalSlot,
    region: search.finalRegion, units: search.finalUnits},
  {parent, fromSlot, units});
}

// The states of one search, how each was reached, and the best plan so
// far (finalSlot -1: none yet).
class GridSearch {
  readonly best: Float64Array;
  readonly parent: Int32Array;
  readonly fromSlot: Int32Array;
  readonly units: Int32Array;
  finalScore = Infinity;
  finalPauses = 0;
  finalEndMs = Infinity;
  finalParent = -1;
  finalSlot = -1;
  finalRegion = -1;
  finalUnits = 0;

  constructor(
    private readonly job: GridJob,
    private readonly table: SegmentTable,
    private readonly regionCount: number,
  ) {
    const size = (job.maxPauses + 1) * (job.unitCount + 1) *
      (job.slotCount + 1) * regionCount;
    this.best = new Float64Array(size).fill(Infinity);
    this.parent = new Int32Array(size).fill(-1);
    this.fromSlot = new Int32Array(size);
    this.units = new Int32Array(size);
  }

  /** The state of p pauses and u units done, idle at slot i, in r. */
  index(p: number, u: number, i: number, r: number): number {
    const {unitCount, slotCount} = this.job;
    return ((p * (unitCount + 1) + u) * (slotCount + 1) + i) *
      this.regionCount + r;
  }

  /**
   * Whether a state with fewer pauses, the same work done, slot and
   * region scores no more: every plan through this state then has a
   * counterpart through that one (the same segments) that scores no
   * more with fewer pauses, which the tie rule prefers, so this state
   * need not be extended.
   */
  dominated(p: number, u: number, i: number, r: number,
    score: number): boolean {
    for (let fewer = 0; fewer < p; fewer += 1) {
      if ((this.best[this.index(fewer, u, i, r)] as number) <= score) {
        return true;
      }
    }
    return false;
  }

  /** Tries every segment from (state, slot i) into each region. */
  extend(state: number, p: number, u: number, i: number,
    fromRegion: number, baseScore: number): void {
    const {job, table, best, parent, fromSlot, units} = this;
    const {shapeCount, status, endMs, nextSlot} = table;
    const U = job.unitCount;
    const T = job.slotCount;
    const isFirst = state === -1;
    const shapes = isFirst ? table.shapeOfFirst : table.shapeOfResumed;
    const shapeRow = isFirst ? 0 : u * (U + 1);
    const slotCell = i * shapeCount;
    const pauses = isFirst ? 0 : p + 1;
    const keeps = pauses < job.maxPauses;
    // index(pauses, u + k, next, r), term by term.
    const unitStride = (T + 1) * this.regionCount;
    const targetBase = (pauses * (U + 1) + u) * unitStride;
    for (let r = 0; r < this.regionCount; r += 1) {
      const scores = (fromRegion === r ? table.stayingScore[r] :
        table.enteringScore[r]) as Float64Array;
      const egress = egressInto(job, fromRegion, r);
      for (let k = 1; u + k <= U; k += 1) {
        const cell = slotCell + (shapes[shapeRow + k] as number);
        const fits = status[cell] as number;
        if (fits === SEGMENT_LATE) break;
        if (fits === SEGMENT_SHORT) continue;
        const segmentScore = scores[cell] as number;
        // missing data: longer runs cover the same hole
        if (Number.isNaN(segmentScore)) break;
        const score = baseScore + segmentScore + egress;
        if (u + k === U) {
          const segmentEndMs = endMs[cell] as number;
          if (this.finalSlot === -1 || betterFinal(score, pauses,
            segmentEndMs, this)) {
            this.finalScore = score;
            this.finalPauses = pauses;
            this.finalEndMs = segmentEndMs;
            this.finalParent = state;
            this.finalSlot = i;
            this.finalRegion = r;
            this.finalUnits = k;
          }
          continue;
        }
        // A state with every pause used is never extended: not kept.
        if (!keeps) continue;
        const next = nextSlot[cell] as number;
        if (next > T) continue;
        const target = targetBase + k * unitStride + next * this.regionCount +
          r;
        if (score < (best[target] as number)) {
          best[target] = score;
          parent[target] = state;
          fromSlot[target] = i;
          units[target] = k;
        }
      }
    }
  }
}

function transferInto(job: GridJob, fromRegion: number, toRegion: number) {
  if (fromRegion === toRegion) return 0;
  return enteringTransfer(job, toRegion, fromRegion === -1);
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
  current: {finalScore: number; finalPauses: number; finalEndMs: number},
): boolean {
  const scale = Math.max(Math.abs(score), Math.abs(current.finalScore));
  if (Math.abs(score - current.finalScore) > 1e-9 * scale) {
    return score < current.finalScore;
  }
  if (pauses !== current.finalPauses) return pauses < current.finalPauses;
  return endMs < current.finalEndMs;
}

interface Trail {
  parent: Int32Array;
  fromSlot: Int32Array;
  units: Int32Array;
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
