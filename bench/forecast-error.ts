/**
 * Rolling-origin error of the replay's honest forecaster against the
 * recorded values of one year (2022 unless `--year`), per zone: a
 * forecast is issued at every hour start (or every `--step-hours`) from
 * 8 January (a week of history first) to the last issue whose 72 h lie
 * inside the year, and each is scored
 * at 1 h, 24 h and 72 h ahead, where "h ahead" is the hour that ends h
 * hours after the issue. MAPE is the mean of |forecast - actual| / actual
 * over hours with a positive recorded value; MAE is in gCO2e/kWh; the
 * persistence baseline repeats the last known hour. Rank quality: for a
 * 4 h job that may start in the next 24 h, the window with the lowest
 * forecast mean is chosen; "captured" is the realised saving against
 * starting at once over the best realised saving (summed over issues),
 * "near best" the share of issues whose chosen window's realised mean is
 * within 2 % of the best window's. `--year 2021` measures on the 2021
 * traces (where the forecaster's settings were chosen).
 *
 * Run: node --import tsx bench/forecast-error.ts [--markdown | --json]
 *   [--zones DE,GB] [--step-hours 1] [--year 2022]
 */
import {
  ElectricityMapsTraces,
} from '../shared/signals/electricity-maps-traces.js';
import {ReplayProvider} from '../shared/signals/replay-provider.js';
import type {Clock} from '../shared/time/clock.js';

const LEADS_HOURS = [1, 24, 72] as const;
const HORIZON_HOURS = 72;
const HOUR_MS = 3_600_000;
const RANK_JOB_HOURS = 4;
const RANK_WINDOW_HOURS = 24;
const NEAR_BEST_FRACTION = 0.02;
// A week of history first, and every issue's 72 h inside the year.
const firstIssueMs = (year: number) => Date.UTC(year, 0, 8);
const lastIssueMs = (year: number) =>
  Date.UTC(year + 1, 0, 1) - HORIZON_HOURS * HOUR_MS;

// A clock the bench moves by hand.
class SteppedClock implements Clock {
  constructor(private currentMs: number) {}
  nowMs(): number {
    return this.currentMs;
  }
  async sleepUntil(instantMs: number): Promise<void> {
    this.currentMs = Math.max(this.currentMs, instantMs);
  }
}

// Sums for one lead time.
class ErrorSums {
  private absolutePercentSum = 0;
  private percentCount = 0;
  private absoluteSum = 0;
  private absoluteCount = 0;

  add(forecast: number | null, actual: number | null): void {
    if (forecast === null || actual === null) return;
    const error = Math.abs(forecast - actual);
    this.absoluteSum += error;
    this.absoluteCount++;
    if (actual > 0) {
      this.absolutePercentSum += (100 * error) / actual;
      this.percentCount++;
    }
  }

  meanAbsolutePercent(): number {
    return this.absolutePercentSum / this.percentCount;
  }

  meanAbsolute(): number {
    return this.absoluteSum / this.absoluteCount;
  }
}

// How well the forecast ranks start hours of a short job.
class RankSums {
  private capturedSum = 0;
  private possibleSum = 0;
  private nearBest = 0;
  private count = 0;

  // `forecast` and `actual` from the issue hour on.
  add(forecast: readonly (number | null)[],
    actual: readonly (number | null)[]): void {
    const windowMean = (values: readonly (number | null)[], start: number) => {
      let sum = 0;
      for (let hour = start; hour < start + RANK_JOB_HOURS; hour++) {
        const value = values[hour];
        if (value === null || value === undefined) return null;
        sum += value;
      }
      return sum / RANK_JOB_HOURS;
    };
    let chosen = -1;
    let chosenForecast = Infinity;
    let best = Infinity;
    for (let start = 0; start + RANK_JOB_HOURS <= RANK_WINDOW_HOURS;
      start++) {
      const forecastMean = windowMean(forecast, start);
      const actualMean = windowMean(actual, start);
      if (forecastMean === null || actualMean === null) return;
      if (forecastMean < chosenForecast) {
        chosenForecast = forecastMean;
        chosen = start;
      }
      best = Math.min(best, actualMean);
    }
    const atOnce = windowMean(actual, 0)!;
    const realised = windowMean(actual, chosen)!;
    this.capturedSum += atOnce - realised;
    this.possibleSum += atOnce - best;
    if (realised <= best * (1 + NEAR_BEST_FRACTION)) this.nearBest++;
    this.count++;
  }

  /** Realised saving over the best possible one, in percent. */
  capturedPercent(): number {
    return 100 * this.capturedSum / this.possibleSum;
  }

  /** Issues whose chosen window was near the best, in percent. */
  nearBestPercent(): number {
    return 100 * this.nearBest / this.count;
  }
}

interface ZoneError {
  readonly zone: string;
  readonly ranking: RankSums;
  readonly issues: number;
  readonly meanActual: number;
  readonly honest: ReadonlyMap<number, ErrorSums>;
  readonly persistence: ReadonlyMap<number, ErrorSums>;
}

async function measureZone(
  zone: string,
  traces: ElectricityMapsTraces,
  stepHours: number,
  year: number,
): Promise<ZoneError> {
  const clock = new SteppedClock(firstIssueMs(year));
  const provider = new ReplayProvider({clock, traces});
  const actuals = new Map<number, number | null>();
  let actualSum = 0;
  let actualCount = 0;
  for (const point of traces.observedSeries(zone, provider.basis)!.points) {
    actuals.set(point.startMs, point.gramsPerKilowattHour);
    if (point.gramsPerKilowattHour !== null) {
      actualSum += point.gramsPerKilowattHour;
      actualCount++;
    }
  }

  const honest = new Map(LEADS_HOURS.map((lead) => [lead, new ErrorSums()]));
  const persistence = new Map(
    LEADS_HOURS.map((lead) => [lead, new ErrorSums()]));
  const ranking = new RankSums();
  let issues = 0;
  for (let issueMs = firstIssueMs(year); issueMs <= lastIssueMs(year);
    issueMs += stepHours * HOUR_MS) {
    await clock.sleepUntil(issueMs);
    const forecast = await provider.forecast(zone,
      {horizonHours: HORIZON_HOURS});
    const lastKnown = actuals.get(issueMs - HOUR_MS) ?? null;
    for (const lead of LEADS_HOURS) {
      const point = forecast.points[lead - 1];
      if (!point) continue;
      const actual = actuals.get(point.startMs) ?? null;
      honest.get(lead)!.add(point.gramsPerKilowattHour, actual);
      persistence.get(lead)!.add(lastKnown, actual);
    }
    const window = forecast.points.slice(0, RANK_WINDOW_HOURS);
    ranking.add(window.map((point) => point.gramsPerKilowattHour),
      window.map((point) => actuals.get(point.startMs) ?? null));
    issues++;
  }
  return {zone, ranking, issues, meanActual: actualSum / actualCount,
    honest, persistence};
}

function readArguments(argv: readonly string[]) {
  const valueOf = (name: string) => {
    const position = argv.indexOf(name);
    return position === -1 ? undefined : argv[position + 1];
  };
  const stepHours = Number(valueOf('--step-hours') ?? '1');
  if (!Number.isInteger(stepHours) || stepHours < 1) {
    throw new Error('--step-hours: give a whole number of hours >= 1');
  }
  const year = Number(valueOf('--year') ?? '2022');
  if (!Number.isInteger(year)) {
    throw new Error('--year: give a year the traces hold, e.g. 2021');
  }
  return {
    markdown: argv.includes('--markdown'),
    json: argv.includes('--json'),
    zones: valueOf('--zones')?.split(',').map((zone) => zone.trim()),
    stepHours,
    year,
  };
}

function markdownTable(
  results: readonly ZoneError[],
  stepHours: number,
  year: number,
) {
  const percent = (value: number) => `${value.toFixed(1)} %`;
  const lines = [
    `Honest replay forecaster, rolling origin: issues every ${stepHours} ` +
      `h from ${year}-01-08 to ${year}-12-29, basis average-lifecycle, ` +
      `Electricity Maps ${year} traces. MAPE (persistence baseline in ` +
      'brackets); rank quality of a 4 h start within 24 h: saving ' +
      'captured of the best possible, and issues near the best window.',
    '',
    '| zone | mean gCO2e/kWh | issues | MAPE 1 h | MAPE 24 h | MAPE 72 h |' +
      ' captured | near best |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    const cells = LEADS_HOURS.map((lead) =>
      `${percent(result.honest.get(lead)!.meanAbsolutePercent())} ` +
        `(${percent(result.persistence.get(lead)!.meanAbsolutePercent())})`);
    lines.push(`| ${result.zone} | ${result.meanActual.toFixed(0)} | ` +
      `${result.issues} | ${cells.join(' | ')} | ` +
      `${percent(result.ranking.capturedPercent())} | ` +
      `${percent(result.ranking.nearBestPercent())} |`);
  }
  return lines.join('\n');
}

function textTable(
  results: readonly ZoneError[],
  stepHours: number,
  year: number,
) {
  const lines = [
    `rolling origin every ${stepHours} h, ${year}-01-08..${year}-12-29, ` +
      'average-lifecycle; MAPE % (MAE gCO2e/kWh); persistence for scale; ' +
      '4 h start in 24 h: % captured',
    'zone          mean  ' + LEADS_HOURS.map((lead) =>
      `${`honest ${lead}h`.padStart(18)}`).join('') +
      `${'persistence 24h'.padStart(20)}${'captured'.padStart(10)}`,
  ];
  for (const result of results) {
    const cell = (sums: ErrorSums) =>
      `${sums.meanAbsolutePercent().toFixed(1)} ` +
        `(${sums.meanAbsolute().toFixed(1)})`;
    lines.push(result.zone.padEnd(12) +
      result.meanActual.toFixed(0).padStart(6) +
      LEADS_HOURS.map((lead) =>
        cell(result.honest.get(lead)!).padStart(18)).join('') +
      cell(result.persistence.get(24)!).padStart(20) +
      result.ranking.capturedPercent().toFixed(1).padStart(10));
  }
  return lines.join('\n');
}

// One object per zone; errors by lead time ("1h", "24h", "72h").
function jsonReport(
  results: readonly ZoneError[],
  stepHours: number,
  year: number,
) {
  const byLead = (sums: ReadonlyMap<number, ErrorSums>) =>
    Object.fromEntries(LEADS_HOURS.map((lead) => [`${lead}h`, {
      meanAbsolutePercent: sums.get(lead)!.meanAbsolutePercent(),
      meanAbsoluteGramsPerKilowattHour: sums.get(lead)!.meanAbsolute(),
    }]));
  return {stepHours, basis: 'average-lifecycle', year,
    zones: results.map((result) => ({zone: result.zone,
      issues: result.issues,
      meanGramsPerKilowattHour: result.meanActual,
      honest: byLead(result.honest),
      persistence: byLead(result.persistence),
      ranking: {capturedPercent: result.ranking.capturedPercent(),
        nearBestPercent: result.ranking.nearBestPercent()}}))};
}

async function main(): Promise<void> {
  const options = readArguments(process.argv.slice(2));
  const traces = new ElectricityMapsTraces({years: [options.year]});
  const zones = options.zones ?? traces.zones();
  const results: ZoneError[] = [];
  for (const zone of zones) {
    results.push(await measureZone(zone, traces, options.stepHours,
      options.year));
  }
  if (options.json) {
    process.stdout.write(JSON.stringify(jsonReport(results,
      options.stepHours, options.year)) + '\n');
    return;
  }
  console.log(options.markdown
    ? markdownTable(results, options.stepHours, options.year)
    : textTable(results, options.stepHours, options.year));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
