import type {protos} from '@google-cloud/aiplatform';

/** A protobuf Timestamp in milliseconds; null when it is not set. */
export function millisecondsOf(
  timestamp: protos.google.protobuf.ITimestamp | null | undefined,
): number | null {
  if (!timestamp || timestamp.seconds === null ||
      timestamp.seconds === undefined) {
    return null;
  }
  return Number(timestamp.seconds) * 1000 +
    Math.round((timestamp.nanos ?? 0) / 1e6);
}
