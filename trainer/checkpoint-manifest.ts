import {z} from 'zod';

/** Digits of the zero-padded step in checkpoint file names. */
export const STEP_DIGITS = 9;

/** How one tensor sits inside a data file (little-endian values). */
export const TensorLayout = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(z.number().int().nonnegative()),
  byteOffset: z.number().int().nonnegative(),
  byteLength: z.number().int().nonnegative(),
});
export type TensorLayout = z.infer<typeof TensorLayout>;

/** What a data file holds. */
export const CHECKPOINT_FILE_ROLES = [
  'model-weights',
  'optimizer-state',
] as const;
export type CheckpointFileRole = (typeof CHECKPOINT_FILE_ROLES)[number];

/** One data file of a checkpoint, named relative to the job directory. */
export const CheckpointFile = z.strictObject({
  role: z.enum(CHECKPOINT_FILE_ROLES),
  fileName: z.string().regex(/^[A-Za-z0-9._-]+$/),
  byteLength: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tensors: z.array(TensorLayout),
});
export type CheckpointFile = z.infer<typeof CheckpointFile>;

/** Position in the seeded data order (see data-order.ts). */
export const DataOrderPositionSchema = z.strictObject({
  epoch: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});

/**
 * The manifest `checkpoint-<step>.json`, written last: a checkpoint
 * exists only once its manifest does, and is usable only while every file
 * it lists is present with the recorded checksum.
 */
export const CheckpointManifest = z.strictObject({
  schemaVersion: z.literal(1),
  step: z.number().int().nonnegative(),
  seed: z.number().int().nonnegative(),
  /** Training loss of the step that produced these weights; null at 0. */
  loss: z.number().nullable(),
  dataOrder: DataOrderPositionSchema,
  files: z.array(CheckpointFile).min(1),
});
export type CheckpointManifest = z.infer<typeof CheckpointManifest>;

const MANIFEST_NAME = /^checkpoint-(\d+)\.json$/;

/**
 * The manifest's file name for `step`, e.g. `checkpoint-000000012.json`.
 *
 * @param step - a non-negative integer step
 */
export function manifestFileName(step: number): string {
  return `checkpoint-${String(step).padStart(STEP_DIGITS, '0')}.json`;
}

/**
 * The step a manifest file name announces, or null for other files. The
 * manifest's own `step` field is what counts; the name must agree.
 */
export function stepOfManifestName(fileName: string): number | null {
  const match = MANIFEST_NAME.exec(fileName);
  return match?.[1] === undefined ? null : Number(match[1]);
}
