/**
 * The forecasts a plan is made from: `<ZONE>.json` files from a folder,
 * or by default the replay's honest forecaster over the shipped traces,
 * issued at --now.
 */
import {SchedulerError} from '../shared/errors.js';
import type {IntensitySeries} from '../shared/signals/intensity-series.js';
import {ReplayProvider} from '../shared/signals/replay-provider.js';
import {ElectricityMapsTraces} from
  '../shared/signals/electricity-maps-traces.js';
import {
  FORECAST_FILES_PROVIDER,
  readForecastFile,
} from './plan-forecast-files.js';

/** How far ahead the default forecaster looks. */
const HORIZON_HOURS = 72;

/** A zone's forecast, or why there is none. */
export type ZoneForecast =
  | {readonly series: IntensitySeries}
  | {readonly series: null; readonly reason: string;
    readonly message: string};

/** Where forecasts come from, and its label for the plan. */
export interface PlanSignals {
  readonly provider: string;
  forecast(zone: string): Promise<ZoneForecast>;
}

/**
 * The signals for a plan issued at `nowMs`.
 *
 * @param directory - a folder of forecast files, or null for the replay
 */
export function planSignals(
  directory: string | null,
  nowMs: number,
): PlanSignals {
  if (directory !== null) {
    return {provider: FORECAST_FILES_PROVIDER, forecast: async (zone) => {
      const series = readForecastFile(directory, zone);
      return series !== null ? {series} : {series: null,
        reason: 'no-forecast-file', message: `${directory} has no ` +
          `${zone}.json`};
    }};
  }
  const replay = new ReplayProvider({clock: {nowMs: () => nowMs,
    sleepUntil: async () => {}},
  traces: new ElectricityMapsTraces({years: [2021, 2022]})});
  const cache = new Map<string, ZoneForecast>();
  return {provider: replay.name, forecast: async (zone) => {
    const known = cache.get(zone);
    if (known) return known;
    let answer: ZoneForecast;
    try {
      answer = {series: await replay.forecast(zone,
        {horizonHours: HORIZON_HOURS})};
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      answer = {series: null, reason: error.code, message: error.message};
    }
    cache.set(zone, answer);
    return answer;
  }};
}
