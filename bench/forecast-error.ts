/**
 * Mean absolute error of the replay's honest forecaster against the
 * recorded 2022 values, at a 24 h horizon, for three zones; with two
 * naive baselines (persistence, same hour yesterday) for scale.
 *
 * Run: node --import tsx bench/forecast-error.ts
 */
import {
  ElectricityMapsTraces,
} from '../shared/signals/electricity-maps-traces.js';
import {ReplayProvider} from '../shared/signals/replay-provider.js';
import type {Clock} from '../shared/time/clock.js';

const ZONES = ['GB', 'DE', 'US-CAL-CISO'] as const;
const HORIZON_HOURS = 24;
const HOUR_MS = 3_600_000;
// A week of history first, and every issue's 24 h inside 2022.
const FIRST_ISSUE_MS = Date.UTC(2022, 0, 8);
const LAST_ISSUE_MS = Date.UTC(2022, 11, 31);

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

interface ErrorSums {
  absoluteErrorSum: number;
  count: number;
}

function addError(sums: ErrorSums, forecast: number | null,
  actual: number | null): void {
  if (forecast === null || actual === null) return;
  sums.absoluteErrorSum += Math.abs(forecast - actual);
  sums.count++;
}

function mean(sums: ErrorSums): number {
  return sums.absoluteErrorSum / sums.count;
}

async function measureZone(zone: string) {
  const traces = new ElectricityMapsTraces({years: [2022]});
  const clock = new SteppedClock(FIRST_ISSUE_MS);
  const provider = new ReplayProvider({clock, traces});
  const actuals = new Map<number, number | null>();
  for (const point of traces.observedSeries(zone, provider.basis)!.points) {
    actuals.set(point.startMs, point.gramsPerKilowattHour);
  }

  const honest = {absoluteErrorSum: 0, count: 0};
  const honestAt24 = {absoluteErrorSum: 0, count: 0};
  const persistence = {absoluteErrorSum: 0, count: 0};
  const yesterday = {absoluteErrorSum: 0, count: 0};
  let actualSum = 0;
  let actualCount = 0;

  for (let issueMs = FIRST_ISSUE_MS; issueMs <= LAST_ISSUE_MS;
    issueMs += HOUR_MS) {
    await clock.sleepUntil(issueMs);
    const forecast = await provider.forecast(zone,
      {horizonHours: HORIZON_HOURS});
    const lastKnown = actuals.get(issueMs - HOUR_MS) ?? null;
    forecast.points.forEach((point, lead) => {
      const actual = actuals.get(point.startMs) ?? null;
      addError(honest, point.gramsPerKilowattHour, actual);
      if (lead === HORIZON_HOURS - 1) {
        addError(honestAt24, point.gramsPerKilowattHour, actual);
      }
      addError(persistence, lastKnown, actual);
      const dayBefore = point.startMs - 24 * HOUR_MS;
      addError(yesterday,
        dayBefore < issueMs ? actuals.get(dayBefore) ?? null : null, actual);
      if (actual !== null) {
        actualSum += actual;
        actualCount++;
      }
    });
  }
  return {
    zone,
    issues: Math.round((LAST_ISSUE_MS - FIRST_ISSUE_MS) / HOUR_MS) + 1,
    meanActual: actualSum / actualCount,
    honest: mean(honest),
    honestAt24: mean(honestAt24),
    persistence: mean(persistence),
    sameHourYesterday: mean(yesterday),
  };
}

async function main(): Promise<void> {
  console.log(`basis average-lifecycle, horizon ${HORIZON_HOURS} h, ` +
    'hourly issues 2022-01-08..2022-12-31; MAE in gCO2e/kWh');
  console.log('zone         issues  mean   honest (%)     at 24h  ' +
    'persistence  yesterday');
  for (const zone of ZONES) {
    const result = await measureZone(zone);
    const share = (100 * result.honest / result.meanActual).toFixed(1);
    console.log([
      result.zone.padEnd(12),
      String(result.issues).padStart(6),
      result.meanActual.toFixed(0).padStart(6),
      `${result.honest.toFixed(1).padStart(7)} (${share}%)`,
      result.honestAt24.toFixed(1).padStart(9),
      result.persistence.toFixed(1).padStart(12),
      result.sameHourYesterday.toFixed(1).padStart(10),
    ].join(' '));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
