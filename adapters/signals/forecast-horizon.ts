/** The forecast horizon rule shared by the HTTP providers. */
import {SchedulerError} from '../../shared/errors.js';
import {ForecastHorizonError} from '../../shared/signals/signal-errors.js';

/** A horizon longer than the provider forecasts. */
export class ForecastHorizonTooLongError extends SchedulerError {
  constructor(provider: string, horizonHours: number, maxHours: number) {
    super('forecast-horizon-too-long',
      `${provider} forecasts at most ${maxHours} h ahead; horizonHours is ` +
      `${horizonHours}: ask for ${maxHours} or fewer`);
  }
}

/**
 * The horizon to ask for: the given one, or the provider's longest.
 *
 * @throws ForecastHorizonError when not a positive finite number
 * @throws ForecastHorizonTooLongError when beyond `maxHours`
 */
export function checkedHorizonHours(
  provider: string,
  horizonHours: number | undefined,
  maxHours: number,
): number {
  const hours = horizonHours ?? maxHours;
  if (!(hours > 0) || !Number.isFinite(hours)) {
    throw new ForecastHorizonError(hours);
  }
  if (hours > maxHours) {
    throw new ForecastHorizonTooLongError(provider, hours, maxHours);
  }
  return hours;
}
