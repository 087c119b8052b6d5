/**
 * Every segment score the grid search can ask for, computed once per
 * plan: a segment is fixed by its start slot, its region, whether it
 * enters the region or stays in it, and its shape (first or resumed,
 * last or not, and its work), so the search reads a table instead of
 * pricing each segment again for every state that tries it.
 */
import type {RegionSegmentCosts} from './segment-cost.js';
import type {GridJob} from './segment-grid-search.js';

/** What stops a segment of one shape at one slot before it is priced. */
export const SEGMENT_FITS = 0;
/** It ends after the deadline (so does every longer one). */
export const SEGMENT_LATE = 1;
/** It is shorter than minRunMs and not the only segment. */
export const SEGMENT_SHORT = 2;

/** The table of one search; `cell` is slot x shapeCount + shape. */
export interface SegmentTable {
  readonly shapeCount: number;
  /** shapeOfFirst[k]: the shape of a first segment of k units. */
  readonly shapeOfFirst: Int32Array;
  /** shapeOfResumed[u x (U + 1) + k]: k units after u units are done. */
  readonly shapeOfResumed: Int32Array;
  /** SEGMENT_FITS, SEGMENT_LATE or SEGMENT_SHORT per cell. */
  readonly status: Uint8Array;
  readonly endMs: Float64Array;
  /** The first slot at or after each cell's end. */
  readonly nextSlot: Int32Array;
  /** Per region: the score of a segment that stays in it (NaN: no data). */
  readonly stayingScore: readonly Float64Array[];
  /** Per region: the score of a segment that enters it (NaN: no data). */
  readonly enteringScore: readonly Float64Array[];
}

/** One kind of segment: where it sits in the plan and how much it works. */
interface SegmentShape {
  readonly isFirst: boolean;
  readonly isLast: boolean;
  readonly workMs: number;
}

/**
 * Builds the table, every number computed by the same expressions as
 * pricing one segment at a time (RegionSegmentCosts.scoreOf), so the
 * search finds the same plan. O(T x U x R + U x R x points).
 */
export function buildSegmentTable(
  regions: readonly RegionSegmentCosts[],
  job: GridJob,
): SegmentTable {
  const T = job.slotCount;
  const U = job.unitCount;

  // The shapes, one per distinct (first, last, work).
  const shapes: SegmentShape[] = [];
  const shapeIds = new Map<string, number>();
  const shapeOf = (isFirst: boolean, isLast: boolean, u: number,
    k: number) => {
    const workMs = Math.min(k * job.checkpointEveryMs,
      job.workMs - u * job.checkpointEveryMs);
    const key = `${isFirst}/${isLast}/${workMs}`;
    let id = shapeIds.get(key);
    if (id === undefined) {
      id = shapes.length;
      shapes.push({isFirst, isLast, workMs});
      shapeIds.set(key, id);
    }
    return id;
  };
  const shapeOfFirst = new Int32Array(U + 1);
  for (let k = 1; k <= U; k += 1) {
    shapeOfFirst[k] = shapeOf(true, k === U, 0, k);
  }
  const shapeOfResumed = new Int32Array((U + 1) * (U + 1));
  for (let u = 1; u < U; u += 1) {
    for (let k = 1; u + k <= U; k += 1) {
      shapeOfResumed[u * (U + 1) + k] = shapeOf(false, u + k === U, u, k);
    }
  }

  // Per cell: the span, whether it may run, where the next one starts.
  const S = shapes.length;
  const cells = (T + 1) * S;
  const slotsMs = new Float64Array(T + 1);
  const endMs = new Float64Array(cells);
  const status = new Uint8Array(cells);
  const nextSlot = new Int32Array(cells);
  for (let i = 0; i <= T; i += 1) {
    const slotMs = job.originMs + i * job.stepMs;
    slotsMs[i] = slotMs;
    for (let shape = 0; shape < S; shape += 1) {
      const {isFirst, isLast, workMs} = shapes[shape] as SegmentShape;
      const cell = i * S + shape;
      const restartMs = isFirst ? 0 : job.restartOverheadMs;
      const checkpointMs = isLast ? 0 : job.checkpointOverheadMs;
      const spanEndMs = slotMs + restartMs + workMs + checkpointMs;
      endMs[cell] = spanEndMs;
      status[cell] = spanEndMs > job.deadlineMs ? SEGMENT_LATE :
        !(isFirst && isLast) && spanEndMs - slotMs < job.minRunMs ?
          SEGMENT_SHORT : SEGMENT_FITS;
      nextSlot[cell] = Math.ceil((spanEndMs - job.originMs) / job.stepMs -
        1e-9);
    }
  }

  // Per region: running totals at every slot and every end, the scores.
  const integralAtSlot = new Float64Array(T + 1);
  const missingAtSlot = new Float64Array(T + 1);
  const integralAtEnd = new Float64Array(cells);
  const missingAtEnd = new Float64Array(cells);
  const stayingScore: Float64Array[] = [];
  const enteringScore: Float64Array[] = [];
  regions.forEach((region, r) => {
    region.totalsAlong(slotsMs, {first: 0, count: T + 1, stride: 1}, null,
      integralAtSlot, missingAtSlot);
    for (let shape = 0; shape < S; shape += 1) {
      region.totalsAlong(endMs, {first: shape, count: T + 1, stride: S},
        status, integralAtEnd, missingAtEnd);
    }
    const staying = new Float64Array(cells);
    const entering = new Float64Array(cells);
    const firstTransfer = enteringTransfer(job, r, true);
    const resumedTransfer = enteringTransfer(job, r, false);
    for (let i = 0; i <= T; i += 1) {
      const slotMs = slotsMs[i] as number;
      const integralBefore = integralAtSlot[i] as number;
      const missingBefore = missingAtSlot[i] as number;
      for (let shape = 0; shape < S; shape += 1) {
        const cell = i * S + shape;
        if (status[cell] !== SEGMENT_FITS) continue;
        // integralBetweenOrNaN's difference and its test, term for term.
        const integral = (missingAtEnd[cell] as number) - missingBefore >
          1e-6 ? NaN : (integralAtEnd[cell] as number) - integralBefore;
        const lengthMs = (endMs[cell] as number) - slotMs;
        const transfer = (shapes[shape] as SegmentShape).isFirst ?
          firstTransfer : resumedTransfer;
        staying[cell] = region.scoreOfIntegral(integral, lengthMs, 0);
        entering[cell] = region.scoreOfIntegral(integral, lengthMs,
          transfer);
      }
    }
    stayingScore.push(staying);
    enteringScore.push(entering);
  });
  return {shapeCount: S, shapeOfFirst, shapeOfResumed, status, endMs,
    nextSlot, stayingScore, enteringScore};
}

/**
 * Transfer energy (kWh) of entering region r from elsewhere: the
 * dataset unless it is there, the checkpoint unless nothing ran before.
 */
export function enteringTransfer(
  job: GridJob,
  r: number,
  isFirst: boolean,
): number {
  const dataset = r === job.datasetRegionIndex ? 0 :
    job.datasetTransferKilowattHours;
  const checkpoint = isFirst ? 0 : job.checkpointTransferKilowattHours;
  return dataset + checkpoint;
}
