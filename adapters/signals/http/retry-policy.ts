/**
 * When to try a provider call again: exponential backoff with full jitter,
 * never sooner than a `Retry-After` the provider sent.
 */

/** How many tries and how long to wait between them. */
export interface RetryPolicy {
  /** Tries in all, the first included; 1 means no retry. */
  readonly maxAttempts: number;
  /** The backoff ceiling before the first retry. */
  readonly baseDelayMs: number;
  /** No computed backoff exceeds this. */
  readonly maxDelayMs: number;
  /**
   * A `Retry-After` longer than this is not waited for: the call fails
   * with the throttling error instead.
   */
  readonly maxRetryAfterMs: number;
}

/** Three tries, 250 ms then 500 ms ceilings, Retry-After up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before retry number `retryNumber` (1 for the first retry):
 * a uniform draw in [0, min(maxDelayMs, baseDelayMs * 2^(retryNumber-1))),
 * raised to `retryAfterMs` when the provider asked for longer.
 *
 * @param random - a draw in [0, 1); `Math.random` in production
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  retryNumber: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceilingMs = Math.min(policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jitteredMs = Math.floor(random() * ceilingMs);
  return Math.max(jitteredMs, retryAfterMs ?? 0);
}

/**
 * Reads a `Retry-After` header: delay seconds (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`), as milliseconds from `nowMs`.
 *
 * @returns undefined when absent or unreadable; 0 for a date in the past
 */
export function parseRetryAfterMs(
  header: string | undefined,
  nowMs: number,
): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
