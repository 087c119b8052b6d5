/**
 * "By the start of the next workday" in a region's local time: 09:00 on
 * the first Monday to Friday at or after the earliest possible finish.
 * Public holidays are not modelled.
 */

/** Local hour at which a workday starts. */
export const WORKDAY_START_HOUR = 9;

const DAY_MS = 86_400_000;

/**
 * The first workday start (09:00 local, Monday to Friday) at or after
 * `notBeforeMs`.
 *
 * @param timeZone - IANA zone, e.g. `Europe/Berlin`; null reads as UTC
 */
export function nextWorkdayStartMs(
  notBeforeMs: number,
  timeZone: string | null,
): number {
  const zone = timeZone ?? 'UTC';
  const local = localDate(notBeforeMs, zone);
  let dayMs = Date.UTC(local.year, local.month - 1, local.day);
  for (let tries = 0; tries < 10; tries += 1) {
    const weekday = new Date(dayMs).getUTCDay();
    if (weekday >= 1 && weekday <= 5) {
      const date = new Date(dayMs);
      const startMs = wallTimeToUtcMs(date.getUTCFullYear(),
        date.getUTCMonth() + 1, date.getUTCDate(), WORKDAY_START_HOUR, zone);
      if (startMs >= notBeforeMs) return startMs;
    }
    dayMs += DAY_MS;
  }
  throw new Error(`no workday start found after ${notBeforeMs}`);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localDate(instantMs: number, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric',
      minute: 'numeric'});
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {year: parts.year!, month: parts.month!, day: parts.day!,
    hour: parts.hour!, minute: parts.minute!};
}

// The UTC instant of a local wall time; two passes settle the offset.
function wallTimeToUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  timeZone: string,
): number {
  const wantedMs = Date.UTC(year, month - 1, day, hour);
  let guessMs = wantedMs;
  for (let pass = 0; pass < 2; pass += 1) {
    const seen = localDate(guessMs, timeZone);
    const seenMs = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour,
      seen.minute);
    guessMs += wantedMs - seenMs;
  }
  return guessMs;
}
