/**
 * Runs the whole evaluation: for each submission instant and scenario,
 * the jobs of the mix are replayed with our scheduler, the oracle, the
 * counterfactual and the baselines, all judged on observed data; the
 * savings are summed per scenario and overall.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {baselinePlans} from './baselines.js';
import {
  BASELINE_NAMES,
  type BaselineName,
  type EvaluationJob,
  type EvaluationRegion,
  type EvaluationReport,
  type JobMix,
  type RatioPair,
  type ScenarioResult,
} from './evaluation-types.js';
import {HonestForecasts} from './honest-forecasts.js';
import {hourlyValuesOf, type HourlyValues} from './hourly-values.js';
import {jobsAt, originsOf, scenariosOf, type Scenario} from './job-mix.js';
import {oraclePlan} from './oracle-plan.js';
import {
  bootstrapRatioInterval,
  type InstantSavings,
} from './ratio-interval.js';
import {actualGrams, type ReplayContext} from './replay-context.js';
import {replayScheduler} from './scheduler-replay.js';

/** What the evaluation replays. */
export interface EvaluationInput {
  /** Regions whose zone has a trace. */
  readonly regions: readonly EvaluationRegion[];
  /** Observed hourly series by zone. */
  readonly observed: ReadonlyMap<string, IntensitySeries>;
  readonly mix: JobMix;
  /** At most this many submission instants, spread evenly. */
  readonly limit?: number;
  readonly regionsWithoutTrace?: readonly {regionId: string;
    zone: string | null}[];
  /**
   * Analysis only: forecasts equal the observed hours for this many
   * hours after each issue (default 0: the honest forecaster alone).
   */
  readonly perfectForesightHours?: number;
  /** Called after each submission instant (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Grams of one job under each strategy; null where undefined. */
interface JobGrams {
  readonly counterfactual: number;
  readonly ours: number;
  readonly oracle: number;
  readonly baselines: Record<BaselineName, number | null>;
  readonly missedDeadline: boolean;
  /** Position of the job's submission instant. */
  readonly originIndex: number;
}

/**
 * Replays every job and reports per scenario and overall.
 *
 * @returns the report; ratios are grams saved over grams the oracle saved
 */
export function runEvaluation(input: EvaluationInput): EvaluationReport {
  const observed = new Map<string, HourlyValues>();
  for (const [zone, series] of input.observed) {
    observed.set(zone, hourlyValuesOf(series));
  }
  const {mix} = input;
  const horizonHours = Math.max(...mix.durationsHours) + 4 * 24;
  const context: ReplayContext = {
    regions: new Map(input.regions.map((region) => [region.id, region])),
    observed, forecasts: new HonestForecasts(observed, horizonHours,
      input.perfectForesightHours ?? 0),
    itPowerKilowatts: mix.itPowerKilowatts,
    replanImprovementFraction: mix.replanImprovementFraction,
    replanLeadErrorFraction: mix.replanLeadErrorFraction};
  const scenarios = scenariosOf(mix);
  const origins = originsOf(observed, mix, input.limit);
  const regions = [...input.regions].sort((a, b) => a.id.localeCompare(b.id));

  const perScenario = new Map<string, JobGrams[]>(
    scenarios.map((scenario) => [scenario.name, []]));
  origins.forEach((originMs, originIndex) => {
    context.forecasts.forgetBefore(originMs);
    for (const scenario of scenarios) {
      for (const job of jobsAt(scenario, originIndex, originMs, regions,
        observed, mix)) {
        const grams = evaluateJob(job, context, originIndex);
        if (grams) perScenario.get(scenario.name)!.push(grams);
      }
    }
    input.onProgress?.(originIndex + 1, origins.length);
  });

  const results = scenarios.map((scenario) =>
    summarise(scenario, perScenario.get(scenario.name)!));
  const pair = (chosen: readonly ScenarioResult[]) =>
    ratios(chosen, perScenario, origins.length);
  return {
    scenarios: results,
    aggregate: {...pair(results),
      byKind: Object.fromEntries(mix.kinds.map((kind) => [kind,
        pair(results.filter((result) => result.kind === kind))]))},
    jobCount: results.reduce((sum, result) => sum + result.jobCount, 0),
    origins: {count: origins.length, firstMs: origins[0] ?? null,
      lastMs: origins.at(-1) ?? null, stepHours: mix.originStepHours,
      spreadEvenly: input.limit !== undefined &&
        origins.length < originsOf(observed, mix).length},
    regionsWithoutTrace: input.regionsWithoutTrace ?? [],
    regionsWithoutTimeZone: regions.filter((r) => r.timeZone === null)
      .map((r) => r.id),
    forecaster: forecasterName(input.perfectForesightHours ?? 0),
  };
}

// One job under every strategy; null when its truth has a hole.
function evaluateJob(
  job: EvaluationJob,
  context: ReplayContext,
  originIndex: number,
): JobGrams | null {
  const counterfactual = actualGrams(context, [{regionId: job.homeRegionId,
    startMs: job.submittedAtMs, endMs: job.submittedAtMs + job.workMs}]);
  const ours = replayScheduler(job, context);
  const oursGrams = actualGrams(context, ours.segments);
  const oracle = oraclePlan(job, context);
  const oracleGrams = oracle === null ? null : actualGrams(context, oracle);
  if (counterfactual === null || oursGrams === null || oracleGrams === null) {
    return null;
  }
  const plans = baselinePlans(job, context);
  const baselines = Object.fromEntries(BASELINE_NAMES.map((name) => {
    const plan = plans[name];
    return [name, plan === null ? null : actualGrams(context, plan)];
  })) as Record<BaselineName, number | null>;
  const endMs = Math.max(...ours.segments.map((segment) => segment.endMs));
  return {counterfactual, ours: oursGrams, oracle: oracleGrams, baselines,
    missedDeadline: endMs > job.deadlineMs + 1, originIndex};
}

function summarise(scenario: Scenario, jobs: JobGrams[]): ScenarioResult {
  const counterfactualGrams = sum(jobs, (job) => job.counterfactual);
  const savedGrams = counterfactualGrams - sum(jobs, (job) => job.ours);
  const oracleSavedGrams = counterfactualGrams - sum(jobs, (job) =>
    job.oracle);
  const percent = (grams: number) => counterfactualGrams > 0 ?
    grams / counterfactualGrams * 100 : null;
  const baselines = Object.fromEntries(BASELINE_NAMES.map((name) => {
    const applicable = jobs.every((job) => job.baselines[name] !== null);
    const grams = applicable && jobs.length > 0 ? counterfactualGrams -
      sum(jobs, (job) => job.baselines[name]!) : null;
    return [name, {savedPercent: grams === null ? null : percent(grams),
      savedGrams: grams}];
  })) as Record<BaselineName, {savedPercent: number | null;
    savedGrams: number | null}>;
  const tolerance = 1e-9 * counterfactualGrams;
  return {
    name: scenario.name, kind: scenario.kind,
    residency: scenario.residency, deadline: scenario.deadline,
    jobCount: jobs.length, counterfactualGrams, savedGrams, oracleSavedGrams,
    savedPercent: percent(savedGrams),
    oracleSavedPercent: percent(oracleSavedGrams),
    ratioToOracle: oracleSavedGrams > 0 ? savedGrams / oracleSavedGrams :
      null,
    baselines: Object.fromEntries(BASELINE_NAMES.map((name) =>
      [name, {savedPercent: baselines[name].savedPercent}])) as
      ScenarioResult['baselines'],
    beatsEveryBaseline: jobs.length === 0 ? null :
      BASELINE_NAMES.every((name) => {
        const grams = baselines[name].savedGrams;
        return grams === null || savedGrams >= grams - tolerance;
      }),
    deadlineMisses: jobs.filter((job) => job.missedDeadline).length,
  };
}

/**
 * Total grams saved over total grams the oracle saved, with 95 %
 * intervals from resampling the submission instants.
 */
function ratios(
  results: readonly ScenarioResult[],
  perScenario: ReadonlyMap<string, readonly JobGrams[]>,
  originCount: number,
): RatioPair {
  const ratio = (chosen: readonly ScenarioResult[]) => {
    const oracle = chosen.reduce((total, r) => total + r.oracleSavedGrams, 0);
    const ours = chosen.reduce((total, r) => total + r.savedGrams, 0);
    return oracle > 0 ? ours / oracle : null;
  };
  const interval = (chosen: readonly ScenarioResult[]) => {
    const instants = Array.from({length: originCount},
      () => ({savedGrams: 0, oracleSavedGrams: 0}));
    for (const result of chosen) {
      for (const job of perScenario.get(result.name) ?? []) {
        const instant = instants[job.originIndex]!;
        instant.savedGrams += job.counterfactual - job.ours;
        instant.oracleSavedGrams += job.counterfactual - job.oracle;
      }
    }
    return bootstrapRatioInterval(instants as InstantSavings[]);
  };
  const home = results.filter((result) => result.residency === 'home');
  return {ratioToOracle: ratio(results), temporalRatioToOracle: ratio(home),
    interval95: {ratioToOracle: interval(results),
      temporalRatioToOracle: interval(home)}};
}

function forecasterName(perfectForesightHours: number): string {
  const honest = 'replay:honest (shared/signals/replay-forecaster.ts)';
  return perfectForesightHours > 0 ? `observed for the first ` +
    `${perfectForesightHours} h after each issue, then ${honest}` : honest;
}

function sum(jobs: readonly JobGrams[], pick: (job: JobGrams) => number) {
  return jobs.reduce((total, job) => total + pick(job), 0);
}
