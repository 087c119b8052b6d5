/**
 * A live provider asked about a past instant. A live API's "latest" is
 * the real now, so for an instant in the past the reading comes from its
 * history instead; a forecast issued in the past is refused (a live API
 * forecasts from now only), as is a power mix it keeps no history of.
 * Every refusal is a typed error, so a fallback chain passes it on
 * visibly.
 */
import {SchedulerError} from '../../shared/errors.js';
import type {
  CarbonSignalProvider,
  IntensityReading,
  PowerBreakdown,
} from '../../shared/signals/carbon-signal-provider.js';
import type {IntensitySeries} from '../../shared/signals/intensity-series.js';
import {NoSignalDataError} from '../../shared/signals/signal-errors.js';
import {HOUR_MS} from '../signals/provider-readings.js';
import type {EstimatedIntensityPoint} from '../signals/provider-readings.js';

/** How far behind the wall an instant may be and still count as now. */
export const PAST_INSTANT_TOLERANCE_MS = 15 * 60_000;

/** A live provider cannot answer this for a past instant. */
export class PastInstantUnsupportedError extends SchedulerError {
  constructor(provider: string, what: string, atMs: number) {
    super('past-instant-unsupported',
      `${provider} cannot give ${what} as of ` +
        `${new Date(atMs).toISOString()}: a live API answers for now; ` +
        'leave out --at, or use --provider replay (2021-2022) for a ' +
        'past instant');
  }
}

// What some providers add: the power mix of each hour of the last day.
interface WithBreakdownHistory {
  powerBreakdownHistory?(zone: string): Promise<PowerBreakdown[]>;
}

/**
 * The provider as of `atMs`, an instant before now.
 *
 * @param provider - a live provider, on the wall clock
 */
export function asOfPastInstant(
  provider: CarbonSignalProvider & WithBreakdownHistory,
  atMs: number,
): CarbonSignalProvider {
  const covers = (startMs: number, durationMs: number) =>
    startMs <= atMs && atMs < startMs + durationMs;
  const instant = new Date(atMs).toISOString();

  const viewed: CarbonSignalProvider = {
    name: provider.name,

    // The history point covering the instant, as a reading.
    latest: async (zone): Promise<IntensityReading> => {
      const series = await provider.history(zone, atMs - HOUR_MS, atMs + 1);
      const point = series.points.find((candidate) =>
        covers(candidate.startMs, candidate.durationMs)) as
        EstimatedIntensityPoint | undefined;
      if (!point) {
        throw new NoSignalDataError(zone, `the intensity at ${instant}`,
          `no history point of ${provider.name} at that instant`);
      }
      return {zone, startMs: point.startMs, durationMs: point.durationMs,
        gramsPerKilowattHour: point.gramsPerKilowattHour,
        basis: series.basis, kind: 'observed', source: provider.name,
        ...(point.isEstimated === undefined
          ? {}
          : {isEstimated: point.isEstimated})};
    },

    // History up to the instant, never past it.
    history: (zone, fromMs, toMs): Promise<IntensitySeries> =>
      provider.history(zone, fromMs, Math.min(toMs, atMs)),

    forecast: async (): Promise<IntensitySeries> => {
      throw new PastInstantUnsupportedError(provider.name,
        'a forecast', atMs);
    },
  };
  if (!provider.powerBreakdown) return viewed;

  // The mix of the hour covering the instant, where history keeps it.
  const powerBreakdown = async (zone: string): Promise<PowerBreakdown> => {
    if (!provider.powerBreakdownHistory) {
      throw new PastInstantUnsupportedError(provider.name,
        'a power breakdown', atMs);
    }
    const hours = await provider.powerBreakdownHistory(zone);
    const covering = hours.find((hour) =>
      covers(hour.startMs, hour.durationMs));
    if (!covering) {
      throw new NoSignalDataError(zone, `the power breakdown at ${instant}`,
        `the last 24 hours of ${provider.name}`);
    }
    return covering;
  };
  return {...viewed, powerBreakdown};
}
