import {z} from 'zod';
import {classifyCheckpointObject} from './checkpoint-layout.js';
import type {StoredObject} from './object-store.js';

/** The part of a manifest the scheduler checks; the rest is the trainer's. */
const ManifestFacts = z.object({
  step: z.number().int().nonnegative(),
  loss: z.number().nullable().optional(),
  files: z.array(z.object({
    fileName: z.string().min(1),
    byteLength: z.number().int().nonnegative(),
  })).min(1),
});

/** One step's objects under a checkpoint prefix, and whether it is whole. */
export interface CheckpointEntry {
  readonly step: number;
  /** The manifest's name, or null when none was written (yet). */
  readonly manifestName: string | null;
  /** Names of every data object of this step that is present. */
  readonly dataNames: readonly string[];
  /** Names of the data objects the manifest lists (empty without one). */
  readonly referencedNames: readonly string[];
  /** Bytes of every object of this step, manifest included. */
  readonly sizeBytes: number;
  /** True when the manifest parses and every file it lists is present. */
  readonly complete: boolean;
  /** Why the step is not complete, or null. */
  readonly problem: string | null;
  /** The manifest's loss, when complete and recorded. */
  readonly loss: number | null;
}

/** Everything under a checkpoint prefix, sorted by step. */
export interface CheckpointInventory {
  readonly entries: readonly CheckpointEntry[];
  /** Object names the layout does not define; never touched. */
  readonly foreignNames: readonly string[];
}

/**
 * Reads a checkpoint prefix into steps. A checkpoint is complete only
 * once its manifest exists and every data object it lists is present
 * with the recorded size: data first, manifest last, so a torn write is
 * data without a manifest, never a manifest without data.
 *
 * @param objects - the listing, names relative to the checkpoint prefix
 * @param readManifest - the bytes of a manifest by name, or undefined
 */
export async function readCheckpointInventory(
  objects: readonly StoredObject[],
  readManifest: (name: string) => Promise<Buffer | undefined>,
): Promise<CheckpointInventory> {
  const sizes = new Map(
    objects.map((object) => [object.key, object.sizeBytes]));
  const byStep = new Map<number, {manifest: string | null; data: string[]}>();
  const foreignNames: string[] = [];
  for (const object of objects) {
    const kind = classifyCheckpointObject(object.key);
    if (kind.kind === 'foreign') {
      foreignNames.push(object.key);
      continue;
    }
    const group = byStep.get(kind.step) ?? {manifest: null, data: []};
    if (kind.kind === 'manifest') group.manifest = object.key;
    else group.data.push(object.key);
    byStep.set(kind.step, group);
  }

  const entries: CheckpointEntry[] = [];
  for (const [step, group] of [...byStep].sort((a, b) => a[0] - b[0])) {
    const dataBytes = group.data
      .reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
    const manifestBytes = group.manifest === null
      ? 0 : sizes.get(group.manifest) ?? 0;
    const base = {
      step,
      manifestName: group.manifest,
      dataNames: [...group.data].sort(),
      sizeBytes: dataBytes + manifestBytes,
    };
    if (group.manifest === null) {
      entries.push({...base, referencedNames: [], complete: false,
        problem: 'no manifest: data written, checkpoint not finished',
        loss: null});
      continue;
    }
    const checked = await checkManifest(group.manifest, step, sizes,
      readManifest);
    entries.push({...base, ...checked});
  }
  return {entries, foreignNames: foreignNames.sort()};
}

/** The highest complete step of an inventory, or null when none is. */
export function highestCompleteCheckpoint(
  inventory: CheckpointInventory,
): CheckpointEntry | null {
  const complete = inventory.entries.filter((entry) => entry.complete);
  return complete.at(-1) ?? null;
}

async function checkManifest(
  name: string,
  step: number,
  sizes: ReadonlyMap<string, number>,
  readManifest: (name: string) => Promise<Buffer | undefined>,
): Promise<Pick<CheckpointEntry,
    'referencedNames' | 'complete' | 'problem' | 'loss'>> {
  const unusable = (problem: string) =>
    ({referencedNames: [], complete: false, problem, loss: null});
  const bytes = await readManifest(name);
  if (bytes === undefined) return unusable(`manifest ${name} vanished`);
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    return unusable(`manifest ${name} is not JSON`);
  }
  const parsed = ManifestFacts.safeParse(document);
  if (!parsed.success) {
    return unusable(`manifest ${name} lacks step or files`);
  }
  const manifest = parsed.data;
  if (manifest.step !== step) {
    return unusable(`manifest ${name} records step ${manifest.step}`);
  }
  const referencedNames = manifest.files.map((file) => file.fileName);
  for (const file of manifest.files) {
    const size = sizes.get(file.fileName);
    if (size === undefined) {
      return {...unusable(`data object ${file.fileName} is missing`),
        referencedNames};
    }
    if (size !== file.byteLength) {
      return {...unusable(`data object ${file.fileName} has ${size} ` +
        `bytes, the manifest records ${file.byteLength}`), referencedNames};
    }
  }
  return {referencedNames, complete: true, problem: null,
    loss: manifest.loss ?? null};
}
