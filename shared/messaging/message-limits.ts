/**
 * Size and shape limits on what travels over Pub/Sub, checked before a
 * message is parsed so an oversized or pathological one is refused with a
 * clear reason instead of exhausting memory or the stack.
 */

/** The Pub/Sub service refuses messages larger than this (10 MB). */
export const PUBSUB_MESSAGE_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Largest job request the product accepts (256 KiB). A job request is a
 * short description of a training run; anything larger is a mistake (a
 * dataset pasted inline) and is refused long before the Pub/Sub limit.
 */
export const JOB_REQUEST_LIMIT_BYTES = 256 * 1024;

/**
 * Largest request envelope the product accepts (64 KiB). Bulky results,
 * such as forecast bundles, travel by pointer to a stored object.
 */
export const ENVELOPE_LIMIT_BYTES = 64 * 1024;

/** Deepest nesting of arrays and objects accepted in any document. */
export const MAX_NESTING_DEPTH = 32;

/** Human-readable size, e.g. "256 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/**
 * The reason `byteLength` is over `limitBytes`, or undefined when it fits.
 */
export function sizeProblem(
  byteLength: number,
  limitBytes: number,
  what: string,
): string | undefined {
  if (byteLength <= limitBytes) return undefined;
  return `is ${formatBytes(byteLength)} (${byteLength} bytes); a ${what} ` +
    `may be at most ${formatBytes(limitBytes)}: pass large data by ` +
    'pointer (a gs:// URI) instead of inline';
}

/**
 * How deeply `value` nests arrays and objects (a scalar is 0). Walks
 * iteratively, so a hostile document cannot overflow the stack, and stops
 * counting once `stopAt` is passed.
 */
export function nestingDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const pending: {value: unknown; depth: number}[] = [{value, depth: 0}];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(next.value)) {
      pending.push({value: child, depth});
    }
  }
  return deepest;
}

/** The reason `value` nests too deeply, or undefined when it does not. */
export function nestingProblem(value: unknown): string | undefined {
  const depth = nestingDepth(value, MAX_NESTING_DEPTH);
  if (depth <= MAX_NESTING_DEPTH) return undefined;
  return `nests arrays and objects more than ${MAX_NESTING_DEPTH} levels ` +
    `deep; at most ${MAX_NESTING_DEPTH} are allowed`;
}
