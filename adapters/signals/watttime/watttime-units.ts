/**
 * WattTime reports emission rates per MWh in the unit `meta.units` names;
 * the product works in gCO2e/kWh. An unknown unit is refused, never
 * guessed: a pound figure read as grams looks plausible and is 2.2x off.
 */
import {SchedulerError} from '../../../shared/errors.js';

/** Grams in one avoirdupois pound. */
export const GRAMS_PER_POUND = 453.59237;

/** gCO2e/kWh per one unit of each `meta.units` value the provider knows. */
export const GRAMS_PER_KILOWATT_HOUR_BY_UNIT: Readonly<
  Record<string, number>
> = {
  // lb/MWh x 453.59237 g/lb / 1000 kWh/MWh.
  lbs_co2_per_mwh: GRAMS_PER_POUND / 1000,
  // kg/MWh equals g/kWh.
  kg_co2_per_mwh: 1,
  g_co2_per_kwh: 1,
};

/** A `meta.units` that is absent or not in the known-units table. */
export class UnknownUnitError extends SchedulerError {
  readonly unit: string | undefined;

  constructor(unit: string | undefined, region: string) {
    super('unknown-unit',
      `watttime region "${region}": ` +
      (unit === undefined ? 'meta.units is missing' : `unit "${unit}"`) +
      ' is not one of ' +
      Object.keys(GRAMS_PER_KILOWATT_HOUR_BY_UNIT).join(', ') +
      '; values are not converted by guesswork');
    this.unit = unit;
  }
}

/**
 * The factor that turns a value in `unit` into gCO2e/kWh.
 *
 * @throws UnknownUnitError when the unit is missing or unknown
 */
export function gramsPerKilowattHourFactor(
  unit: string | undefined,
  region: string,
): number {
  const factor = unit === undefined
    ? undefined
    : GRAMS_PER_KILOWATT_HOUR_BY_UNIT[unit];
  if (factor === undefined) throw new UnknownUnitError(unit, region);
  return factor;
}
