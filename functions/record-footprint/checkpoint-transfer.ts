import type {SegmentRecord} from '../../shared/jobs/job-snapshot.js';
import {TRANSFER_KILOWATT_HOURS_PER_GIGABYTE} from
  '../../shared/planner/plan-types.js';

const BYTES_PER_GIGABYTE = 1e9;

/**
 * The footprint's transfer input of a segment: the energy of the
 * checkpoint brought into its region (bytes / 1e9 x the model's kWh per
 * GB). None (absent, not zero) when the segment did not change region.
 */
export function checkpointTransferOf(
  segment: Pick<SegmentRecord, 'checkpointBytesMoved'>,
): {transfer?: {checkpointKilowattHours: number}} {
  const bytes = segment.checkpointBytesMoved;
  if (bytes === undefined) return {};
  const gigabytes = bytes / BYTES_PER_GIGABYTE;
  return {transfer: {
    checkpointKilowattHours: gigabytes * TRANSFER_KILOWATT_HOURS_PER_GIGABYTE,
  }};
}
