/**
 * RFC 3339 instants as the product accepts them at its edges: a date, a
 * time and a UTC offset (`Z` or `+02:00`), on a day the calendar has.
 * `Date.parse` alone rolls 2022-02-30 over to March; this does not.
 */

const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Milliseconds since the epoch, or null when `text` is not an RFC 3339
 * instant with an offset on a real calendar day and time.
 */
export function parseInstantWithOffset(text: string): number | null {
  const match = RFC_3339.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7)
    .map((part) => Number(part ?? 0)) as number[];
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day ||
    hour! > 23 || minute! > 59 || second! > 59) {
    return null;
  }
  const instantMs = Date.parse(text.trim());
  return Number.isFinite(instantMs) ? instantMs : null;
}
