import {TrainingCapacityError} from './vertex-errors.js';
import type {CapacityReason} from './vertex-errors.js';

// gRPC status RESOURCE_EXHAUSTED.
const RESOURCE_EXHAUSTED = 8;

const STOCKOUT_WORDS = [
  /stockout/i,
  /resource_pool_exhausted/i,
  /does not have enough resources/i,
  /not enough resources available/i,
  /resources are insufficient/i,
  /insufficient capacity/i,
];
const QUOTA_WORDS = [/quota/i, /rate of .* exceeded/i];

/**
 * Whether an error (a gax/gRPC error, or a CustomJob's `error` status)
 * says the region has no capacity or no quota for the hardware.
 *
 * @returns the reason, or null for any other error
 */
export function capacityReasonOf(error: unknown): CapacityReason | null {
  const {code, message} = codeAndMessage(error);
  if (STOCKOUT_WORDS.some((pattern) => pattern.test(message))) {
    return 'stockout';
  }
  if (code === RESOURCE_EXHAUSTED || code === 'RESOURCE_EXHAUSTED') {
    return QUOTA_WORDS.some((pattern) => pattern.test(message))
      ? 'quota'
      : 'stockout';
  }
  if (QUOTA_WORDS.some((pattern) => pattern.test(message)) &&
      /exceed/i.test(message)) {
    return 'quota';
  }
  return null;
}

/**
 * The typed capacity error for `error` in `regionId`, or `error` itself
 * when it is about something else.
 */
export function asCapacityError(error: unknown, regionId: string): unknown {
  const reason = capacityReasonOf(error);
  if (reason === null) return error;
  return new TrainingCapacityError(regionId, reason,
    codeAndMessage(error).message, error);
}

function codeAndMessage(error: unknown): {
  code: number | string | undefined;
  message: string;
} {
  if (typeof error !== 'object' || error === null) {
    return {code: undefined, message: String(error)};
  }
  const record = error as {code?: unknown; message?: unknown;
    details?: unknown};
  const code = typeof record.code === 'number' ||
    typeof record.code === 'string' ? record.code : undefined;
  const message = [record.message, record.details]
    .filter((part) => typeof part === 'string').join(' ');
  return {code, message};
}
