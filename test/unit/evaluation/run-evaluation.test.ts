import assert from 'node:assert/strict';
import type {
  EvaluationRegion,
  JobMix,
} from '../../../shared/evaluation/evaluation-types.js';
import {DEFAULT_JOB_MIX} from '../../../shared/evaluation/job-mix.js';
import {
  formatEvaluationTable,
} from '../../../shared/evaluation/evaluation-table.js';
import {runEvaluation} from '../../../shared/evaluation/run-evaluation.js';
import type {
  IntensitySeries,
} from '../../../shared/signals/intensity-series.js';

const HOUR_MS = 3_600_000;
const FIRST_MS = Date.UTC(2022, 4, 2);
const DAYS = 30;

function series(zone: string, valueAt: (hour: number) => number):
  IntensitySeries {
  return {zone, basis: 'average-lifecycle', kind: 'observed', source: 'test',
    points: Array.from({length: DAYS * 24}, (_, hour) => ({
      startMs: FIRST_MS + hour * HOUR_MS, durationMs: HOUR_MS,
      gramsPerKilowattHour: valueAt(hour)}))};
}

// A day shape: clean around midday, dirty at night.
const daily = (hour: number) => 300 - 150 * Math.sin(((hour % 24) - 6) /
  24 * 2 * Math.PI);
// The same with day-to-day noise no forecaster can know in advance.
const noisy = (hour: number) => daily(hour) *
  (1 + 0.3 * Math.sin(hour * 12.9898) * Math.cos(hour * 0.37));

function region(id: string, zone: string, yearly: number): EvaluationRegion {
  return {id, zone, residencyGroups: ['EU', 'DE'],
    powerUsageEffectiveness: 1.1,
    yearlyGridGramsPerKilowattHour: new Map([[2022, yearly]]),
    timeZone: 'Europe/Berlin'};
}

const MIX: JobMix = {...DEFAULT_JOB_MIX, durationsHours: [2, 6],
  deadlines: ['plus-24h'], residencies: ['home', 'EU'],
  originStepHours: 50};

describe('runEvaluation (synthetic traces)', function () {
  this.timeout(60_000);

  it('matches the oracle at home when every day repeats exactly', () => {
    const report = runEvaluation({mix: {...MIX, residencies: ['home']},
      limit: 3, regions: [region('europe-test1', 'AA', 300)],
      observed: new Map([['AA', series('AA', daily)]])});
    for (const scenario of report.scenarios) {
      assert.ok(scenario.jobCount > 0, scenario.name);
      assert.ok(scenario.oracleSavedPercent! > 10, scenario.name);
      assert.ok(Math.abs(scenario.ratioToOracle! - 1) < 1e-6,
        `${scenario.name}: ${scenario.ratioToOracle}`);
    }
    assert.ok(Math.abs(report.aggregate.temporalRatioToOracle! - 1) < 1e-6);
  });

  it('never saves more than the oracle, nor less than nothing, on noise',
    () => {
      const report = runEvaluation({mix: MIX, limit: 3, regions: [
        region('europe-test1', 'AA', 400), region('europe-test2', 'BB', 100)],
      observed: new Map([['AA', series('AA', noisy)],
        ['BB', series('BB', (hour) => noisy(hour + 5) * 0.5)]])});
      assert.equal(report.scenarios.length, 4);
      for (const scenario of report.scenarios) {
        assert.ok(scenario.jobCount > 0, scenario.name);
        assert.ok(scenario.oracleSavedGrams >= scenario.savedGrams - 1e-9,
          scenario.name);
        assert.ok(scenario.savedGrams >= 0, scenario.name);
        assert.equal(scenario.deadlineMisses, 0, scenario.name);
      }
    });

  it('sends the static baseline to the lowest yearly average allowed', () => {
    const report = runEvaluation({mix: {...MIX, kinds: ['contiguous']},
      limit: 2, regions: [
        region('europe-test1', 'AA', 400), region('europe-test2', 'BB', 100)],
      observed: new Map([['AA', series('AA', daily)],
        ['BB', series('BB', (hour) => daily(hour) * 0.5)]])});
    const [home, bloc] = report.scenarios;
    assert.equal(home!.baselines.staticLowAverageRegion.savedPercent, 0);
    assert.equal(home!.baselines.letsWaitAwhileInterruptible.savedPercent,
      null);
    // homes rotate over both regions: half the jobs move to BB and save
    // half, the others already run there
    const staticSaved = bloc!.baselines.staticLowAverageRegion.savedPercent!;
    assert.ok(staticSaved > 10 && staticSaved < 50, `${staticSaved}`);
    assert.ok(bloc!.savedPercent! >= staticSaved);
  });

  it('matches the oracle at home on noise given perfect foresight, ' +
    'and reports the interval and the forecaster it used', () => {
    const input = {mix: {...MIX, residencies: ['home'] as const,
      kinds: ['contiguous'] as const}, limit: 4,
    regions: [region('europe-test1', 'AA', 300)],
    observed: new Map([['AA', series('AA', noisy)]])};
    const honest = runEvaluation(input);
    const seeing = runEvaluation({...input, perfectForesightHours: 400});
    assert.ok(Math.abs(seeing.aggregate.temporalRatioToOracle! - 1) < 1e-6,
      `${seeing.aggregate.temporalRatioToOracle}`);
    assert.ok(honest.aggregate.temporalRatioToOracle! < 0.999,
      `${honest.aggregate.temporalRatioToOracle}`);
    assert.match(seeing.forecaster, /^observed for the first 400 h/);
    // --limit picked 4 of the instants: the table must not say "50 h apart"
    assert.equal(honest.origins.spreadEvenly, true);
    assert.match(formatEvaluationTable(honest),
      /from 4 submission instants spread evenly over the traces/);
    const interval = honest.aggregate.interval95.temporalRatioToOracle!;
    assert.ok(interval.low <= honest.aggregate.temporalRatioToOracle! &&
      honest.aggregate.temporalRatioToOracle! <= interval.high);
  });

  it('keeps a pausable job with perfect foresight within the oracle, ' +
    'whose pauses may fall on any hour as the monitor\'s do', () => {
    const report = runEvaluation({mix: {...MIX, residencies: ['home'],
      kinds: ['interruptible'], durationsHours: [6, 20]}, limit: 4,
    regions: [region('europe-test1', 'AA', 300)],
    observed: new Map([['AA', series('AA', noisy)]]),
    perfectForesightHours: 400});
    const [scenario] = report.scenarios;
    assert.ok(scenario!.jobCount > 0);
    // within the planner's grid: a resumed segment in the replay works
    // whole hours less its restart overhead (see oracle-plan.ts)
    assert.ok(scenario!.ratioToOracle! <= 1.005,
      `${scenario!.ratioToOracle}`);
  });
});
