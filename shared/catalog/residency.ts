/**
 * Data-residency groups a region belongs to: a bloc (`EU`, `US`, `UK`)
 * where one applies, plus the ISO 3166 alpha-2 country code itself.
 */

/** Member states of the European Union (ISO 3166 alpha-2). */
export const EUROPEAN_UNION_COUNTRY_CODES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR',
  'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK',
  'SI', 'ES', 'SE',
]);

/**
 * The residency groups of a country.
 *
 * @param countryCode - ISO 3166 alpha-2, or null when unknown
 * @returns e.g. `['EU', 'DE']`, `['UK', 'GB']`, `['US']`, `['CH']`; empty
 *   when the country is unknown, so no residency rule can admit it
 */
export function residencyGroupsFor(
  countryCode: string | null,
): readonly string[] {
  if (countryCode === null) return [];
  if (countryCode === 'US') return ['US'];
  if (countryCode === 'GB') return ['UK', 'GB'];
  if (EUROPEAN_UNION_COUNTRY_CODES.has(countryCode)) {
    return ['EU', countryCode];
  }
  return [countryCode];
}
