/** The request and response forms shared by the fake API routes. */

/** One request as the routes see it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly bodyText: string;
}

/** One response; `text` is sent as is, else `body` as JSON. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON response. */
export function json(body: unknown, status = 200): FakeResponse {
  return {status, body};
}

/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;

/**
 * A repeatable intensity in gCO2e/kWh for a zone and instant: a level per
 * zone plus a daily wave, so every zone differs and every hour moves.
 */
export function syntheticIntensity(zone: string, instantMs: number): number {
  let hash = 0;
  for (const character of zone) {
    hash = (hash * 31 + character.charCodeAt(0)) % 10_007;
  }
  const hourOfDay = new Date(instantMs).getUTCHours();
  return 80 + (hash % 400) + Math.round(
    40 * Math.sin((hourOfDay / 24) * 2 * Math.PI));
}
