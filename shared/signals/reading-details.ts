/**
 * What the commands print beside a reading's value: whether it was
 * estimated and the low-carbon and renewable shares where known. The
 * replay looks these up in the shipped trace row; the static provider's
 * yearly mean stands in for the hour, so it counts as estimated; an HTTP
 * provider's reading says so itself when it can.
 */
import type {
  IntensityReading,
} from './carbon-signal-provider.js';
import {STATIC_PROVIDER_NAME} from './static-provider.js';
import {TraceHourDetails} from './trace-hour-details.js';

/** The extra facts of one reading. */
export interface ReadingDetails {
  /** null when the provider does not say. */
  readonly isEstimated: boolean | null;
  readonly estimationMethod: string | null;
  /** Consumption shares in percent, where the provider has them. */
  readonly mix: {
    readonly lowCarbonPercent: number | null;
    readonly renewablePercent: number | null;
  } | null;
}

let traceDetails: TraceHourDetails | undefined;

/** The details of a reading served by `provider`. */
export function readingDetails(
  reading: IntensityReading,
  provider: string,
): ReadingDetails {
  if (provider.startsWith('replay:')) {
    traceDetails ??= new TraceHourDetails();
    const detail = traceDetails.at(reading.zone, reading.startMs);
    return {
      isEstimated: detail?.isEstimated ?? null,
      estimationMethod: detail?.estimationMethod ?? null,
      mix: detail ? {lowCarbonPercent: detail.lowCarbonPercent,
        renewablePercent: detail.renewablePercent} : null,
    };
  }
  if (provider === STATIC_PROVIDER_NAME) {
    return {isEstimated: true, estimationMethod: 'google-yearly-average',
      mix: null};
  }
  const stated = (reading as {isEstimated?: unknown}).isEstimated;
  const method = (reading as {estimationMethod?: unknown}).estimationMethod;
  return {
    isEstimated: typeof stated === 'boolean' ? stated : null,
    estimationMethod: typeof method === 'string' ? method : null,
    mix: null,
  };
}
