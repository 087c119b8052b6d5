import {embodiedCoefficientFor} from '../../shared/footprint/embodied.js';
import {computeFootprintToDate} from
  '../../shared/footprint/footprint-to-date.js';
import {estimatePowerDraw} from '../../shared/footprint/hardware-power.js';
import {toProgressRow} from '../../shared/ledger/footprint-rows.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';
import type {IntensitySeries} from '../../shared/signals/intensity-series.js';
import type {TrainingSegmentStatus} from
  '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** What one monitor poll knows about the running segment. */
export interface ProgressPoll {
  readonly job: JobRequest & {jobId: string};
  readonly segmentIndex: number;
  readonly pollSequence: number;
  readonly status: TrainingSegmentStatus;
  readonly regionId: string;
  readonly zone: string | null;
  readonly powerUsageEffectiveness: number;
  readonly forecast: IntensitySeries | null;
  readonly remainingWorkMs: number;
  readonly nowMs: number;
}

/**
 * Writes the running segment's footprint to date and its projection to
 * completion as a progress row (footprint_kind = progress), so a report
 * on a running job shows both, marked. A failure here is logged and
 * never stops the monitoring: the final footprint is recorded at the end.
 */
export async function recordProgressFootprint(
  dependencies: SchedulerDependencies,
  poll: ProgressPoll,
): Promise<void> {
  const {job, status, nowMs} = poll;
  try {
    // The hardware is held from provisioning on, as at the end.
    const startMs = status.energyRelevantMs > 0
      ? nowMs - status.energyRelevantMs
      : status.startTimeMs;
    if (startMs === null || startMs >= nowMs) return;
    const power = estimatePowerDraw({
      machineType: job.hardware.machineType,
      acceleratorType: job.hardware.acceleratorType,
      acceleratorCount: job.hardware.acceleratorCount,
      utilisation: {gpuFraction: dependencies.settings.gpuUtilisationFraction},
    });
    const observed = poll.zone
      ? await dependencies.signals.history(poll.zone, startMs, nowMs)
      : null;
    const progress = computeFootprintToDate({
      segment: {
        regionId: poll.regionId,
        startMs,
        endMs: nowMs,
        itPowerWatts: power.totalWatts,
        powerDraw: power,
        powerUsageEffectiveness: poll.powerUsageEffectiveness,
        intensity: observed
          ? {zone: observed.zone, basis: observed.basis,
            source: observed.source, kind: observed.kind,
            points: observed.points}
          : null,
        embodied: embodiedCoefficientFor(job.hardware.machineType),
      },
      remainingWorkMs: poll.remainingWorkMs,
      forecast: poll.forecast,
    });
    await dependencies.ledger.append('footprints', [toProgressRow(progress, {
      jobId: job.jobId,
      projectId: job.project,
      team: job.team ?? null,
      recordedAtMs: nowMs,
    }, {segmentIndex: poll.segmentIndex, pollSequence: poll.pollSequence})]);
  } catch (error) {
    dependencies.logger.log('WARNING', 'footprint to date not recorded', {
      jobId: job.jobId,
      segmentIndex: poll.segmentIndex,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
