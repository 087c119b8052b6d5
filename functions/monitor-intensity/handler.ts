import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import {autoThresholds} from '../../shared/policy/auto-threshold.js';
import {decidePauseOrContinue} from '../../shared/policy/pause-policy.js';
import type {PolicyMemory} from '../../shared/policy/policy-types.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {loadPlan} from '../launch-training/handler.js';
import {
  MONITOR_PHASES,
  takeOperatorCommands,
} from './operator-commands.js';
import {answerPreemption} from './preemption.js';
import {recordProgressFootprint} from './progress-footprint.js';

const HOUR_MS = 3_600_000;

/**
 * monitor-intensity: reads the running segment and the grid where it
 * runs, and answers continue, pause (with when to resume), completed or
 * failed. The pause is the policy's own decision: the expected saving
 * after checkpoint and restart overheads must be positive and the slack
 * must still cover the work; every input and number is kept with it.
 *
 * Operator commands come first: a pause answers pause with `hold` (no
 * resumeAt), a cancel answers cancel, an extend gives the policy its new
 * deadline. Asked with `phase: 'paused'` (an operator hold) or
 * `'waiting'`, it answers from the commands alone: hold, resume, cancel,
 * start-now or wait.
 *
 * A SPOT segment that ended preempted does not fail the job: it answers
 * pause with resumeAt now (see preemption.ts), so the workflow resumes
 * from the latest complete checkpoint, unless the preemptions exceed the
 * limit or the deadline can no longer be met. Preemptions are not pauses
 * and do not count toward maxPauses.
 */
export function createMonitorIntensity(dependencies: SchedulerDependencies) {
  return createStepHandler('monitor-intensity', dependencies, async (envelope) => {
    const {training, signals, catalog, clock, settings} = dependencies;
    const name = String(envelope.payload.trainingJobName ?? '');
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);
    const nowMs = clock.nowMs();
    const requestDeadlineMs = Date.parse(job.constraints.deadline);
    const phase = MONITOR_PHASES.find(
      (candidate) => candidate === envelope.payload.phase) ?? 'running';

    // Held or waiting: only the operator's commands decide.
    if (phase !== 'running') {
      const operator = await takeOperatorCommands(dependencies, {
        point: phase, snapshot, requestDeadlineMs});
      const held = operator.result.held;
      const answer = operator.answer ?? (phase === 'waiting'
        ? {decision: 'wait', reason: 'no-operator-command'}
        : held ? {decision: 'hold', reason: 'operator-pause'}
        : {decision: 'resume', reason: 'no-operator-hold'});
      snapshot.updatedAtMs = nowMs;
      await writeSnapshot(dependencies.blobs, snapshot);
      await operator.markApplied();
      return {kind: 'reply', result: answer};
    }
    const plan = await loadPlan(dependencies, snapshot.planPointer);
    const segment = snapshot.segments.find((s) => s.trainingJobName === name);
    const status = await training.describe(name);

    // A preempted SPOT segment resumes (or fails with the reason).
    if (status.state === 'JOB_STATE_FAILED' && status.preempted === true &&
        job.scheduling.strategy === 'SPOT') {
      return {kind: 'reply', result: await answerPreemption(dependencies, {
        jobId: envelope.jobId, snapshot, status,
        totalSteps: plan.totalSteps, requestDeadlineMs})};
    }

    // A finished or broken segment ends the monitoring.
    if (status.state === 'JOB_STATE_SUCCEEDED' ||
        status.state === 'JOB_STATE_FAILED' ||
        status.state === 'JOB_STATE_CANCELLED') {
      const completed = status.state === 'JOB_STATE_SUCCEEDED';
      if (segment) {
        segment.endedAtMs = status.endTimeMs ?? nowMs;
        segment.endState = status.state;
        segment.endStep = status.step ?? undefined;
      }
      snapshot.state = completed ? 'completed' : 'failed';
      if (!completed) snapshot.failureReason = `${name} ended ${status.state}`;
      snapshot.updatedAtMs = nowMs;
      await writeSnapshot(dependencies.blobs, snapshot);
      // Logged at this poll, which may come up to a poll interval after
      // the trainer's last step (endedAt).
      dependencies.logger.log('NOTICE', `training ${snapshot.state}`, {
        jobId: envelope.jobId, trainingJobName: name, step: status.step,
        heldOutAccuracy: status.heldOutAccuracy,
        endedAt: status.endTimeMs === null
          ? null : new Date(status.endTimeMs).toISOString(),
        pollIntervalSeconds: settings.pollSeconds,
        progress: true,
      });
      return {kind: 'reply', result: {
        decision: completed ? 'completed' : 'failed',
        reason: `${name} is ${status.state}`,
      }};
    }

    // The operator's commands: a cancel or pause answers at once.
    const operator = await takeOperatorCommands(dependencies, {
      point: 'running', snapshot, requestDeadlineMs});
    if (operator.result.applied.length > 0) {
      snapshot.updatedAtMs = nowMs;
      await writeSnapshot(dependencies.blobs, snapshot);
      await operator.markApplied();
    }
    if (operator.answer) {
      dependencies.logger.log('NOTICE', 'monitor decision', {
        jobId: envelope.jobId, decision: operator.answer['decision'],
        reason: operator.answer['reason'], step: status.step,
        progress: true,
      });
      return {kind: 'reply', result: operator.answer};
    }

    // What the grid says now and ahead, where the segment runs.
    const regionId = segment?.regionId ?? plan.segments[0]!.regionId;
    const region = catalog.require(regionId);
    const zone = region.electricityMapsZone!;
    const latest = await signals.latest(zone);
    const forecast = await signals.forecast(zone, {horizonHours: 72});
    const step = status.step ?? 0;
    const remainingWorkMs = ((plan.totalSteps - step) / training.stepsPerHour) *
      HOUR_MS;
    const deadlineMs = operator.result.deadlineMs;
    const pausesSoFar = snapshot.segments.filter(
      (s) => s.endState === 'JOB_STATE_CANCELLED').length;
    const ranForMs = status.startTimeMs === null ? 0 : nowMs - status.startTimeMs;
    const thresholds = job.signal.pauseThreshold === 'auto'
      ? autoThresholds(forecast, nowMs, deadlineMs, remainingWorkMs)
      : {
          pauseAboveGramsPerKilowattHour: job.signal.pauseThreshold,
          resumeBelowGramsPerKilowattHour: job.signal.pauseThreshold,
        };

    // The footprint so far and the projection, as a progress row.
    if (segment) {
      await recordProgressFootprint(dependencies, {
        job, segmentIndex: segment.index, pollSequence: envelope.sequence,
        status, regionId, zone, forecast, remainingWorkMs, nowMs,
        powerUsageEffectiveness: region.powerUsageEffectiveness.value,
      });
    }

    // No forecast left before the deadline: nothing cleaner to wait for.
    if (thresholds === null) {
      return {kind: 'reply', result: {
        decision: 'continue', reason: 'no-forecast-before-deadline'}};
    }
    const decision = decidePauseOrContinue({
      state: 'running',
      nowMs,
      reading: {
        startMs: latest.startMs,
        durationMs: latest.durationMs,
        gramsPerKilowattHour: latest.gramsPerKilowattHour,
      },
      forecast,
      remainingWorkMs,
      unsavedWorkMs: 0,
      deadlineMs,
      checkpoint: {durationMs: settings.checkpointOverheadMs},
      restart: {durationMs: training.restartOverheadMs},
      itPowerKilowatts: plan.itPowerKilowatts,
      powerUsageEffectiveness: region.powerUsageEffectiveness.value,
      pollIntervalMs: settings.pollSeconds * 1000,
      config: {
        pauseAboveGramsPerKilowattHour:
          thresholds.pauseAboveGramsPerKilowattHour,
        resumeBelowGramsPerKilowattHour:
          thresholds.resumeBelowGramsPerKilowattHour,
      },
      memory: snapshot.policyMemory as PolicyMemory | undefined,
    });

    // The job's own limits come on top: pauses allowed, shortest run.
    let action = decision.action;
    let reason: string = decision.reason;
    if (action === 'pause' && pausesSoFar >= job.constraints.maxPauses) {
      action = 'continue';
      reason = 'max-pauses-reached';
    } else if (action === 'pause' && ranForMs < job.minRunMinutes * 60_000) {
      action = 'continue';
      reason = 'min-run-not-reached';
    }
    const resumeAtMs = decision.numbers.resumeAtMs;
    snapshot.policyMemory = {...decision.memory};
    snapshot.decisions.push({
      atMs: nowMs,
      decision: action,
      reason,
      details: {
        trainingJobName: name,
        regionId,
        zone,
        step,
        thresholds,
        policyAction: decision.action,
        numbers: decision.numbers,
        // What the policy was given, less the forecast (kept by pointer
        // in the provider's data; a cross-check fetches it again).
        inputs: {...decision.inputs, forecast: undefined},
        reading: latest,
        forecastIssuedAtMs: forecast.issuedAtMs,
      },
    });
    snapshot.updatedAtMs = nowMs;
    await writeSnapshot(dependencies.blobs, snapshot);
    dependencies.logger.log(action === 'pause' ? 'NOTICE' : 'INFO',
      'monitor decision', {
        jobId: envelope.jobId, decision: action, reason, step,
        readingGramsPerKilowattHour: latest.gramsPerKilowattHour,
        expectedSavingGrams: decision.numbers.expectedSavingGrams,
        slackMs: decision.numbers.slackMs,
        resumeAt: resumeAtMs === null ? null : new Date(resumeAtMs).toISOString(),
        progress: action === 'pause',
      });
    if (action === 'pause' && resumeAtMs !== null) {
      return {kind: 'reply', result: {
        decision: 'pause', reason,
        resumeAt: new Date(resumeAtMs).toISOString(),
      }};
    }
    return {kind: 'reply', result: {decision: 'continue', reason}};
  });
}
