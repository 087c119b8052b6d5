/**
 * The carbon-signal providers a command can name, and which one applies
 * when none is named: Electricity Maps when `ELECTRICITY_MAPS_TOKEN` is
 * set, else the offline replay of the shipped traces.
 */
import {SchedulerError} from '../../shared/errors.js';

/** Every provider name the commands accept. */
export const PROVIDER_NAMES = [
  'replay',
  'electricitymaps',
  'watttime',
  'uk',
  'static',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** A provider name that is not one of {@link PROVIDER_NAMES}. */
export class UnknownProviderError extends SchedulerError {
  constructor(field: string, given: string) {
    super('unknown-provider',
      `${field}: "${given}" is not a provider; use one of ` +
        `${PROVIDER_NAMES.join(', ')}`);
  }
}

/**
 * Reads a provider name.
 *
 * @param field - the option it came from, for the message
 * @throws UnknownProviderError for any other text
 */
export function parseProviderName(field: string, given: string): ProviderName {
  const name = given.trim().toLowerCase();
  if ((PROVIDER_NAMES as readonly string[]).includes(name)) {
    return name as ProviderName;
  }
  throw new UnknownProviderError(field, given);
}

/**
 * Reads a comma-separated list of providers; `none` or empty is [].
 *
 * @throws UnknownProviderError for a name not in the list
 */
export function parseProviderList(
  field: string,
  given: string,
): ProviderName[] {
  const trimmed = given.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'none') return [];
  return trimmed.split(',').map((name) => parseProviderName(field, name));
}

/**
 * The provider to use when the caller named none.
 *
 * @param environment - read for `ELECTRICITY_MAPS_TOKEN`
 */
export function defaultProviderName(
  environment: NodeJS.ProcessEnv,
): ProviderName {
  return environment.ELECTRICITY_MAPS_TOKEN?.trim()
    ? 'electricitymaps'
    : 'replay';
}
