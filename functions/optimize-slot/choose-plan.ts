import {estimatePowerDraw} from '../../shared/footprint/hardware-power.js';
import {SchedulerError} from '../../shared/errors.js';
import type {ForecastBundle} from '../../shared/jobs/forecast-bundle.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import {planContiguous} from '../../shared/planner/contiguous-plan.js';
import {planInterruptible} from '../../shared/planner/interruptible-plan.js';
import {spotPreemptionReserveMs} from
  '../../shared/planner/preemption-reserve.js';
import type {PlanCandidate} from '../../shared/planner/plan-types.js';
import {estimateCounterfactual} from
  '../../shared/planner/counterfactual-estimate.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';
import {explainPlan} from './plan-why.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What choosing a plan needs besides the job and its forecasts. */
export interface PlanContext {
  readonly requestId: string;
  readonly forecastsPointer: string;
  readonly submittedAtMs: number;
  readonly nowMs: number;
  readonly stepsPerHour: number;
  readonly checkpointOverheadMs: number;
  readonly restartOverheadMs: number;
  readonly gpuUtilisationFraction: number;
  /** Preemptions a SPOT job's plan keeps deadline slack for. */
  readonly expectedSpotPreemptions: number;
}

/**
 * Chooses region and start for a job from its forecasts: the greenest
 * contiguous window, or for an interruptible job the optimal segments on
 * its checkpoint grid when they beat it. Also prices the counterfactual:
 * the same job started at max(submission, earliest start) at home.
 */
export function choosePlan(
  job: JobRequest & {jobId: string},
  bundle: ForecastBundle,
  context: PlanContext,
): StoredPlan {
  const power = estimatePowerDraw({
    machineType: job.hardware.machineType,
    acceleratorType: job.hardware.acceleratorType,
    acceleratorCount: job.hardware.acceleratorCount,
    utilisation: {gpuFraction: context.gpuUtilisationFraction},
  });
  const itPowerKilowatts = power.totalWatts / 1000;
  const totalSteps = Math.round(job.durationHours * context.stepsPerHour);
  const workMs = (totalSteps / context.stepsPerHour) * HOUR_MS;
  const checkpointEverySteps = Math.max(
    1,
    Math.round((job.checkpointEveryMinutes / 60) * context.stepsPerHour),
  );
  const earliestStartMs = Math.max(
    context.nowMs,
    job.constraints.earliestStart
      ? Date.parse(job.constraints.earliestStart)
      : context.nowMs,
  );
  // The first segment spends the provisioning time before any work, so
  // the work itself must end that much before the deadline; a SPOT job
  // also keeps slack for the restarts its expected preemptions cost.
  const checkpointEveryMs =
    (checkpointEverySteps / context.stepsPerHour) * HOUR_MS;
  const preemptionReserveMs = spotPreemptionReserveMs({
    strategy: job.scheduling.strategy,
    expectedPreemptions: context.expectedSpotPreemptions,
    restartOverheadMs: context.restartOverheadMs,
    checkpointEveryMs,
  });
  const deadlineMs = Date.parse(job.constraints.deadline) -
    context.restartOverheadMs - preemptionReserveMs;
  const candidates: PlanCandidate[] = bundle.regions.map((region) => ({
    regionId: region.regionId,
    series: region.series,
    powerUsageEffectiveness: region.powerUsageEffectiveness,
    isHome: region.regionId === job.homeRegion,
  }));
  const base = {
    candidates,
    earliestStartMs,
    deadlineMs,
    itPowerKilowatts,
    ...(job.dataset
      ? {
          datasetRegionId: job.dataset.regionId,
          datasetGigabytes: job.dataset.sizeGigabytes,
        }
      : {}),
  };

  // The greenest contiguous window is always computed: it is the answer
  // for a job that cannot pause, and the yardstick for one that can.
  const contiguous = planContiguous({...base, durationMs: workMs});
  if (!contiguous.feasible) {
    throw new SchedulerError(
      'no-feasible-plan',
      `job ${job.jobId} cannot finish by ${job.constraints.deadline} in ` +
        `any allowed region: ${contiguous.message}`,
    );
  }
  let segments = [
    {
      regionId: contiguous.chosen.regionId,
      startMs: contiguous.chosen.startMs,
      endMs: contiguous.chosen.endMs,
    },
  ];
  let expectedEmissionsGrams =
    contiguous.chosen.expectedEmissionsGrams +
    contiguous.chosen.transferEmissionsGrams;
  let mode: StoredPlan['mode'] = 'contiguous';
  if (job.interruptible && job.constraints.maxPauses > 0) {
    const segmented = planInterruptible({
      ...base,
      workMs,
      checkpointEveryMs,
      minRunMs: job.minRunMinutes * MINUTE_MS,
      maxPauses: job.constraints.maxPauses,
      checkpointOverheadMs: context.checkpointOverheadMs,
      restartOverheadMs: context.restartOverheadMs,
    });
    if (segmented.feasible && segmented.source === 'dynamic-programming') {
      mode = 'segments';
      segments = segmented.segments.map(({regionId, startMs, endMs}) => ({
        regionId,
        startMs,
        endMs,
      }));
      expectedEmissionsGrams = segmented.totalEmissionsGrams;
    }
  }

  // The counterfactual, priced on the same forecast where it reaches.
  const counterfactualStartMs = Math.max(
    context.submittedAtMs,
    job.constraints.earliestStart
      ? Date.parse(job.constraints.earliestStart)
      : context.submittedAtMs,
  );
  const counterfactualEndMs = counterfactualStartMs + workMs;
  const home = bundle.regions.find((r) => r.regionId === job.homeRegion) ??
    (bundle.home?.regionId === job.homeRegion ? bundle.home : undefined);
  const counterfactualGrams = home
    ? estimateCounterfactual({
      homeRegionId: job.homeRegion,
      forecast: {series: home.series},
      powerUsageEffectiveness: home.powerUsageEffectiveness,
      startMs: counterfactualStartMs,
      workMs,
      itPowerKilowatts,
    }).expectedEmissionsGrams
    : null;

  const chosen = contiguous.chosen;
  const regionsConsidered = contiguous.regions.map((region) => ({
    regionId: region.regionId,
    bestStartMs: region.best?.startMs ?? null,
    averageGramsPerKilowattHour:
      region.best?.averageGramsPerKilowattHour ?? null,
    expectedEmissionsGrams: region.best?.expectedEmissionsGrams ?? null,
    eligibleStarts: region.eligibleStartCount,
  }));
  return {
    jobId: job.jobId,
    requestId: context.requestId,
    createdAtMs: context.nowMs,
    forecastsPointer: context.forecastsPointer,
    signalProvider: bundle.provider,
    basis: contiguous.basis ?? 'unknown',
    mode,
    segments,
    expectedEmissionsGrams,
    averageGramsPerKilowattHour: chosen.averageGramsPerKilowattHour,
    contiguousExpectedEmissionsGrams: chosen.expectedEmissionsGrams,
    itPowerKilowatts,
    totalSteps,
    checkpointEverySteps,
    counterfactual: {
      regionId: job.homeRegion,
      startMs: counterfactualStartMs,
      endMs: counterfactualEndMs,
      expectedEmissionsGrams: counterfactualGrams,
    },
    regionsConsidered,
    excluded: bundle.excluded,
    why: explainPlan({mode, segments, expectedEmissionsGrams,
      contiguous: chosen, considered: regionsConsidered,
      excludedCount: bundle.excluded.length}) +
      preemptionNote(preemptionReserveMs, context.expectedSpotPreemptions),
  };
}

// What the plan keeps free for a SPOT job's preemptions, if anything.
function preemptionNote(reserveMs: number, expected: number): string {
  if (reserveMs <= 0) return '';
  return `; SPOT: ${(reserveMs / MINUTE_MS).toFixed(0)} min of deadline ` +
    `slack reserved for ${expected} expected preemption(s) (restart ` +
    'overhead plus half a checkpoint interval of lost work each)';
}
