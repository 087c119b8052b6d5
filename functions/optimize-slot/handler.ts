import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../shared/errors.js';
import type {ForecastBundle} from '../../shared/jobs/forecast-bundle.js';
import {jobKeys, writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import {readJson} from '../../shared/ports/blob-store.js';
import {reserveBudgetForPlan} from
  '../../shared/budgets/budget-plan-check.js';
import {loadBudgetsConfig} from '../../shared/budgets/budget-source.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {DEFAULT_EXPECTED_SPOT_PREEMPTIONS} from
  '../../shared/jobs/spot-preemption.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import {toPlanRow} from '../../shared/ledger/plan-rows.js';
import {choosePlan} from './choose-plan.js';
import {chooseBetweenPlans} from './keep-better-plan.js';
import {keepRegionsWithQuota, quotaUnknownNote} from './quota-regions.js';

/**
 * optimize-slot: reads the forecasts behind the pointer, chooses region
 * and start (or segments), stores the plan with everything it was made
 * from, and answers the workflow with a small summary.
 */
export function createOptimizeSlot(dependencies: SchedulerDependencies) {
  return createStepHandler('optimize-slot', dependencies, async (envelope) => {
    const forecastsPointer = String(envelope.payload.forecastsPointer ?? '');
    const bundle = await readJson<ForecastBundle>(
      dependencies.blobs,
      forecastsPointer,
    );
    if (!bundle) {
      throw new SchedulerError(
        'no-forecasts',
        `no forecasts at "${forecastsPointer}"`,
        {retryable: true},
      );
    }
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);

    // Regions without GPU quota for the job are left out with the reason;
    // one whose quota cannot be read stays, and the plan says so.
    const quota = await keepRegionsWithQuota(bundle, job,
      dependencies.quotas, dependencies.logger,
      {jobId: envelope.jobId, requestId: envelope.requestId});
    const withQuota = quota.bundle;
    const planned = choosePlan(job, withQuota, {
      requestId: envelope.requestId,
      forecastsPointer,
      submittedAtMs: snapshot.submittedAtMs,
      nowMs: dependencies.clock.nowMs(),
      stepsPerHour: dependencies.training.stepsPerHour,
      checkpointOverheadMs: dependencies.settings.checkpointOverheadMs,
      restartOverheadMs: dependencies.training.restartOverheadMs,
      gpuUtilisationFraction: dependencies.settings.gpuUtilisationFraction,
      expectedSpotPreemptions: dependencies.settings.expectedSpotPreemptions ??
        DEFAULT_EXPECTED_SPOT_PREEMPTIONS,
    });
    const note = quotaUnknownNote(quota.unknown);
    const chosen = note === null ? planned :
      {...planned, why: `${planned.why}; ${note}`};

    // Re-planning while waiting: the plan waited on stays unless the fresh
    // one, priced on the same fresh forecasts, is better by the threshold.
    const previous = snapshot.state === 'planned' && snapshot.planPointer
      ? await readJson<StoredPlan>(dependencies.blobs, snapshot.planPointer)
      : undefined;
    if (previous && previous.requestId !== envelope.requestId) {
      const decision = chooseBetweenPlans(previous, chosen, withQuota,
        Date.parse(job.constraints.deadline), dependencies.clock.nowMs());
      dependencies.logger.log('INFO', decision.replace
        ? 'fresh plan replaces the plan waited on'
        : 'plan waited on is kept', {
        jobId: envelope.jobId, requestId: envelope.requestId,
        reason: decision.reason, savingGrams: decision.savingGrams,
        savingFraction: decision.savingFraction,
      });
      if (!decision.replace) {
        return {kind: 'reply', result: {
          ...planSummary(previous, snapshot.planPointer!),
          kept: true,
          keptBecause: decision.reason,
        }};
      }
    }

    // The carbon budget (operator configuration only): reserve, or reject
    // or defer the plan with a clear message.
    const budget = await reserveBudgetForPlan({
      blobs: dependencies.blobs,
      config: await loadBudgetsConfig(dependencies.blobs),
      job: {jobId: job.jobId, projectId: job.project,
        deadlineMs: Date.parse(job.constraints.deadline)},
      plan: chosen,
      nowMs: dependencies.clock.nowMs(),
    });
    const plan = budget.plan;

    const planPointer = jobKeys.plan(envelope.jobId, envelope.sequence);
    await dependencies.blobs.write(planPointer, JSON.stringify(plan, null, 2));
    snapshot.planPointer = planPointer;
    snapshot.state = 'planned';
    snapshot.updatedAtMs = dependencies.clock.nowMs();
    await writeSnapshot(dependencies.blobs, snapshot);

    // The plan in the ledger; a redelivery repeats the same insert id.
    await dependencies.ledger.append('plans', [toPlanRow(plan, {
      projectId: job.project, planIndex: envelope.sequence,
      reservedBudgetKilograms: budget.status === 'unbudgeted' ? null :
        budget.reservedKg,
      recordedAtMs: dependencies.clock.nowMs()})]);

    const first = plan.segments[0]!;
    const last = plan.segments.at(-1)!;
    dependencies.logger.log('NOTICE', 'plan chosen', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      regionId: first.regionId,
      startAt: new Date(first.startMs).toISOString(),
      mode: plan.mode,
      segments: plan.segments.length,
      why: plan.why,
      budget: budget.status === 'unbudgeted' ? null : budget.message,
      progress: true,
    });
    return {
      kind: 'reply',
      result: {...planSummary(plan, planPointer), budgetStatus: budget.status},
    };
  });
}

// What the workflow is told of a plan: small, the rest behind the pointer.
function planSummary(plan: StoredPlan, planPointer: string) {
  const first = plan.segments[0]!;
  const last = plan.segments.at(-1)!;
  return {
    regionId: first.regionId,
    startAt: new Date(first.startMs).toISOString(),
    endAt: new Date(last.endMs).toISOString(),
    mode: plan.mode,
    segmentCount: plan.segments.length,
    planPointer,
  };
}
