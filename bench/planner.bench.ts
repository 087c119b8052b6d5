/**
 * Planner timings: planContiguous against the point-by-point reference
 * search measured in the same run, and the interruptible grid search.
 * Run: node --import tsx bench/planner.bench.ts
 */
import {performance} from 'node:perf_hooks';
import {planContiguous} from '../shared/planner/contiguous-plan.js';
import {planInterruptible} from '../shared/planner/interruptible-plan.js';
import type {PlanCandidate} from '../shared/planner/plan-types.js';
import {
  referenceWindowSearch,
} from '../shared/planner/reference-window-search.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

// A repeatable daily-shaped series with noise (no randomness between runs).
function candidates(regionCount: number, hours: number, stepMinutes: number) {
  let state = 12345;
  const noise = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({length: regionCount}, (_, region): PlanCandidate => {
    const stepMs = stepMinutes * MINUTE_MS;
    const count = (hours * 60) / stepMinutes;
    const points = Array.from({length: count}, (_, i) => ({
      startMs: i * stepMs, durationMs: stepMs,
      gramsPerKilowattHour: 150 + 100 * Math.sin((i * stepMs) / HOUR_MS /
        24 * 2 * Math.PI + region) + 40 * noise()}));
    return {regionId: `region-${String(region).padStart(2, '0')}`,
      powerUsageEffectiveness: 1.1, isHome: region === 0,
      series: {zone: `Z${region}`, basis: 'average-lifecycle',
        kind: 'forecast', source: 'bench', points}};
  });
}

// Median wall time of `runs` calls, in milliseconds.
function medianMs(runs: number, task: () => unknown): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function compareContiguous(label: string, stepMinutes: number, runs: number) {
  const regions = candidates(40, 72, stepMinutes);
  const job = {durationMs: 6 * HOUR_MS + 7 * MINUTE_MS,
    earliestStartMs: 3 * MINUTE_MS, deadlineMs: 72 * HOUR_MS,
    itPowerKilowatts: 10};
  const fast = planContiguous({...job, candidates: regions});
  const slow = referenceWindowSearch(regions, job.durationMs,
    job.earliestStartMs, job.deadlineMs, job.itPowerKilowatts);
  const agree = fast.feasible && slow !== null &&
    fast.chosen.regionId === slow.regionId &&
    fast.chosen.startMs === slow.startMs;
  const planMs = medianMs(runs, () => planContiguous({...job,
    candidates: regions}));
  const referenceMs = medianMs(runs, () => referenceWindowSearch(regions,
    job.durationMs, job.earliestStartMs, job.deadlineMs,
    job.itPowerKilowatts));
  console.log(JSON.stringify({bench: 'contiguous', series: label,
    regions: 40, pointsPerRegion: regions[0]?.series.points.length,
    planContiguousMs: round(planMs), referenceMs: round(referenceMs),
    speedup: round(referenceMs / planMs), sameChoice: agree}));
}

function timeInterruptible(runs: number) {
  const regions = candidates(3, 48, 15);
  const input = {candidates: regions, earliestStartMs: 0,
    deadlineMs: 48 * HOUR_MS, itPowerKilowatts: 10, workMs: 12 * HOUR_MS,
    checkpointEveryMs: 15 * MINUTE_MS, minRunMs: HOUR_MS, maxPauses: 4,
    checkpointOverheadMs: 3 * MINUTE_MS, restartOverheadMs: 8 * MINUTE_MS,
    checkpointGigabytes: 50};
  const plan = planInterruptible(input);
  const planMs = medianMs(runs, () => planInterruptible(input));
  console.log(JSON.stringify({bench: 'interruptible', regions: 3,
    slots: plan.feasible ? plan.grid.slotCount : null,
    units: plan.feasible ? plan.grid.unitCount : null, maxPauses: 4,
    planInterruptibleMs: round(planMs),
    pauses: plan.feasible ? plan.pauses : null,
    savingVersusContiguousGrams: plan.feasible ?
      round(plan.savingVersusContiguousGrams ?? NaN) : null}));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

compareContiguous('hourly-72h', 60, 15);
compareContiguous('5-minute-72h', 5, 5);
timeInterruptible(3);
