import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {compareWithCounterfactual, computeCounterfactual} from
  '../../shared/footprint/counterfactual.js';
import {embodiedCoefficientFor} from '../../shared/footprint/embodied.js';
import {estimatePowerDraw} from '../../shared/footprint/hardware-power.js';
import {
  computeSegmentFootprint,
  type ObservedIntensity,
  type SegmentFootprint,
} from '../../shared/footprint/segment-footprint.js';
import {segmentInsertId, toFootprintRow} from
  '../../shared/ledger/footprint-rows.js';
import {finishedStateOf, writeSnapshot} from
  '../../shared/jobs/job-snapshot.js';
import {settleJobBudget} from '../../shared/budgets/budget-settlement.js';
import {loadBudgetsConfig} from '../../shared/budgets/budget-source.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {loadPlan} from '../launch-training/handler.js';
import {checkpointTransferOf} from './checkpoint-transfer.js';

const HOUR_MS = 3_600_000;

/**
 * record-footprint: one ledger row per run segment (energy, PUE, the
 * intensity observed while it ran, emissions) and the counterfactual row
 * (the same work at home, started at once, without pauses), each with
 * the inputs it was computed from; answers with the job's summary.
 */
export function createRecordFootprint(dependencies: SchedulerDependencies) {
  return createStepHandler('record-footprint', dependencies, async (envelope) => {
    const {training, catalog, ledger, clock} = dependencies;
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);
    const plan = await loadPlan(dependencies, snapshot.planPointer);
    const power = estimatePowerDraw({
      machineType: job.hardware.machineType,
      acceleratorType: job.hardware.acceleratorType,
      acceleratorCount: job.hardware.acceleratorCount,
      utilisation: {gpuFraction: dependencies.settings.gpuUtilisationFraction},
    });
    const embodied = embodiedCoefficientFor(job.hardware.machineType);
    const context = {
      jobId: job.jobId,
      projectId: job.project,
      team: job.team ?? null,
      recordedAtMs: clock.nowMs(),
    };

    // Each segment, over the time its hardware was really held.
    const footprints: SegmentFootprint[] = [];
    const segmentRows = [];
    for (const segment of snapshot.segments) {
      const status = await training.describe(segment.trainingJobName);
      const endMs = status.endTimeMs ?? clock.nowMs();
      const startMs = endMs - status.energyRelevantMs;
      const region = catalog.require(segment.regionId);
      const footprint = computeSegmentFootprint({
        regionId: segment.regionId,
        startMs,
        endMs,
        itPowerWatts: power.totalWatts,
        powerDraw: power,
        powerUsageEffectiveness: region.powerUsageEffectiveness.value,
        intensity: await observed(dependencies, region.electricityMapsZone,
          startMs, endMs),
        embodied,
        ...checkpointTransferOf(segment),
      });
      footprints.push(footprint);
      segmentRows.push({
        insert_id: segmentInsertId(job.jobId, segment.index),
        job_id: job.jobId,
        segment_index: segment.index,
        project_id: job.project,
        region: segment.regionId,
        start_time: new Date(startMs).toISOString(),
        end_time: new Date(endMs).toISOString(),
        outcome: status.state,
        training_job_name: segment.trainingJobName,
        recorded_at: new Date(context.recordedAtMs).toISOString(),
      });
    }

    // The counterfactual, from the same observed data.
    const home = catalog.require(job.homeRegion);
    const workMs = (plan.totalSteps / training.stepsPerHour) * HOUR_MS;
    const counterfactual = computeCounterfactual({
      homeRegionId: job.homeRegion,
      submittedAtMs: snapshot.submittedAtMs,
      earliestStartMs: job.constraints.earliestStart
        ? Date.parse(job.constraints.earliestStart) : null,
      workDurationMs: workMs,
      itPowerWatts: power.totalWatts,
      powerUsageEffectiveness: home.powerUsageEffectiveness.value,
      intensity: await observed(dependencies, home.electricityMapsZone,
        plan.counterfactual.startMs, plan.counterfactual.startMs + workMs),
      embodied,
    });
    const comparison = compareWithCounterfactual(footprints, counterfactual);

    // Rows carry deterministic insert ids: a retry never double counts.
    await ledger.append('segments', segmentRows);
    await ledger.append('footprints', [
      ...footprints.map((footprint, index) => toFootprintRow(footprint,
        context, {footprintKind: 'actual',
          segmentIndex: snapshot.segments[index]!.index})),
      toFootprintRow(counterfactual, context, {footprintKind: 'counterfactual'}),
    ]);

    // The measured scope 2 replaces the job's budget reservation.
    await settleJobBudget({
      blobs: dependencies.blobs,
      config: await loadBudgetsConfig(dependencies.blobs),
      projectId: job.project,
      jobId: job.jobId,
      measuredKg: kilograms(comparison.actual.locationBasedGrams),
      startMs: footprints[0]?.startMs ?? clock.nowMs(),
      nowMs: clock.nowMs(),
    });
    snapshot.state = finishedStateOf(snapshot);
    snapshot.updatedAtMs = clock.nowMs();
    await writeSnapshot(dependencies.blobs, snapshot);

    const summary = {
      jobId: job.jobId,
      segments: footprints.length,
      emissionsKg: kilograms(comparison.actual.totalGrams),
      scope2Kg: kilograms(comparison.actual.locationBasedGrams),
      embodiedKg: kilograms(comparison.actual.embodiedGrams),
      counterfactualEmissionsKg: kilograms(counterfactual.totalGrams),
      counterfactualScope2Kg: kilograms(counterfactual.locationBasedGrams),
      savedPercent: comparison.savedTotal.percent,
      savedScope2Percent: comparison.savedScope2.percent,
      itEnergyKwh: comparison.actual.itEnergyKilowattHours,
      incomplete: comparison.actual.incomplete,
      ledgerRows: footprints.length + 1,
      intensitySource: footprints[0]?.intensitySource ?? null,
    };
    dependencies.logger.log('NOTICE', 'footprint recorded', {
      ...summary, progress: true});
    return {kind: 'reply', result: {summary}};
  });
}

// The observed series of a zone over [startMs, endMs), or null unmapped.
async function observed(
  dependencies: SchedulerDependencies,
  zone: string | null,
  startMs: number,
  endMs: number,
): Promise<ObservedIntensity | null> {
  if (!zone) return null;
  const series = await dependencies.signals.history(zone, startMs, endMs);
  return {
    zone: series.zone,
    basis: series.basis,
    source: series.source,
    kind: series.kind,
    points: series.points,
  };
}

function kilograms(grams: number | null): number | null {
  return grams === null ? null : grams / 1000;
}
