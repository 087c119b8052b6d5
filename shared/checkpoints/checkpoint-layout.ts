/**
 * Where a job's checkpoints and control markers live in its region's
 * bucket, and how their names encode the step. The training container
 * and the scheduler agree on these names (docs/training-container.md).
 *
 *     jobs/<jobId>/                      baseOutputDirectory
 *     jobs/<jobId>/checkpoints/          AIP_CHECKPOINT_DIR
 *       checkpoint-<step 9 digits>.<role>.<sha256 prefix>.bin   data
 *       checkpoint-<step 9 digits>.json                         manifest
 *     jobs/<jobId>/control/segment-<n>/pause-requested.json     scheduler
 *     jobs/<jobId>/control/segment-<n>/paused.json              container
 */

/** Digits of the zero-padded step in checkpoint object names. */
export const CHECKPOINT_STEP_DIGITS = 9;

const MANIFEST_NAME = /^checkpoint-(\d+)\.json$/;
const DATA_NAME = /^checkpoint-(\d+)\.[A-Za-z0-9_-]+\.[0-9a-f]+\.bin$/;

/** The key prefix of one job: the CustomJob's `baseOutputDirectory`. */
export function jobOutputPrefix(jobId: string): string {
  return `jobs/${jobId}/`;
}

/** The key prefix of a job's checkpoints: `AIP_CHECKPOINT_DIR`. */
export function checkpointPrefix(jobId: string): string {
  return `${jobOutputPrefix(jobId)}checkpoints/`;
}

/** The folder of one segment's control markers. */
export function controlPrefix(jobId: string, segmentIndex: number): string {
  return `${jobOutputPrefix(jobId)}control/segment-${segmentIndex}/`;
}

/** The marker the scheduler writes to ask a segment to pause. */
export function pauseRequestKey(jobId: string, segmentIndex: number): string {
  return `${controlPrefix(jobId, segmentIndex)}pause-requested.json`;
}

/** The marker the container writes once its pause checkpoint is whole. */
export function pausedMarkerKey(jobId: string, segmentIndex: number): string {
  return `${controlPrefix(jobId, segmentIndex)}paused.json`;
}

/** The manifest's name for `step`, e.g. `checkpoint-000000012.json`. */
export function manifestName(step: number): string {
  const digits = String(step).padStart(CHECKPOINT_STEP_DIGITS, '0');
  return `checkpoint-${digits}.json`;
}

/** What a name inside the checkpoint prefix is. */
export type CheckpointObjectKind =
  | {readonly kind: 'manifest'; readonly step: number}
  | {readonly kind: 'data'; readonly step: number}
  | {readonly kind: 'foreign'};

/**
 * Classifies an object name (the part after the checkpoint prefix).
 * Names the layout does not define (`last.ckpt`, `last-v1.ckpt`, files
 * in sub-folders) are foreign: never read as a step, never deleted.
 */
export function classifyCheckpointObject(name: string): CheckpointObjectKind {
  const manifest = MANIFEST_NAME.exec(name);
  if (manifest?.[1] !== undefined) {
    return {kind: 'manifest', step: Number(manifest[1])};
  }
  const data = DATA_NAME.exec(name);
  if (data?.[1] !== undefined) return {kind: 'data', step: Number(data[1])};
  return {kind: 'foreign'};
}
