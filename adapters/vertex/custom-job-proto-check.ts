import {protos} from '@google-cloud/aiplatform';
import type {CustomJobBody} from './custom-job-request.js';
import {CustomJobRequestError} from './vertex-errors.js';

const CustomJobType = protos.google.cloud.aiplatform.v1.CustomJob;

/** A CustomJob body after a trip through the shipped protobuf types. */
export interface CustomJobRoundTrip {
  readonly roundTrip: Record<string, unknown>;
  /** Dotted paths whose value the protobuf types dropped or changed. */
  readonly lost: readonly string[];
  /** `CustomJob.verify` of the built message: null when valid. */
  readonly verifyProblem: string | null;
}

/**
 * Passes a body through `CustomJob.fromObject` and `toObject` (enums as
 * names, 64-bit integers as numbers). The types drop unknown fields and
 * unknown enum names without a word, so every value of the body that
 * does not come back unchanged is listed.
 */
export function roundTripCustomJob(body: CustomJobBody): CustomJobRoundTrip {
  const message = CustomJobType.fromObject(body as Record<string, unknown>);
  const roundTrip = CustomJobType.toObject(message,
    {enums: String, longs: Number}) as Record<string, unknown>;
  return {
    roundTrip,
    lost: lostPaths(body, roundTrip, ''),
    verifyProblem: CustomJobType.verify(message),
  };
}

/**
 * Checks a body against the protobuf types before it is sent.
 *
 * @throws CustomJobRequestError naming the first field that would be lost
 */
export function assertCustomJobIntact(body: CustomJobBody): void {
  const {lost, verifyProblem} = roundTripCustomJob(body);
  if (lost.length > 0) {
    throw new CustomJobRequestError(lost[0]!,
      'is not a field or enum name of google.cloud.aiplatform.v1.CustomJob ' +
        `and would be dropped (all lost: ${lost.join(', ')})`);
  }
  if (verifyProblem !== null) {
    throw new CustomJobRequestError('customJob', verifyProblem);
  }
}

function lostPaths(expected: unknown, actual: unknown, path: string): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [path];
    return expected.flatMap((item, index) =>
      lostPaths(item, actual[index], `${path}[${index}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return [path];
    return Object.entries(expected).flatMap(([key, value]) =>
      lostPaths(value, (actual as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key));
  }
  return Object.is(expected, actual) ? [] : [path];
}
