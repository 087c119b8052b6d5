import {createHash, randomUUID} from 'node:crypto';
import {mkdir, open, readdir, readFile, rename} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import {describeIssues} from '../shared/schemas/validation-issues.js';
import {
  CheckpointManifest,
  manifestFileName,
  stepOfManifestName,
} from './checkpoint-manifest.js';
import type {
  CheckpointFile,
  CheckpointFileRole,
  TensorLayout,
} from './checkpoint-manifest.js';
import type {DataOrderPosition} from './data-order.js';

/** A data file to be written as part of a checkpoint. */
export interface CheckpointFileContent {
  readonly role: CheckpointFileRole;
  readonly bytes: Uint8Array;
  readonly tensors: readonly TensorLayout[];
}

/** What a checkpoint records besides its data files. */
export interface CheckpointRecord {
  readonly step: number;
  readonly seed: number;
  readonly loss: number | null;
  readonly dataOrder: DataOrderPosition;
  readonly files: readonly CheckpointFileContent[];
}

/** A manifest found in a job directory, checked against its files. */
export interface CheckpointListing {
  readonly manifestPath: string;
  /** The manifest's step, or the name's when the manifest is unreadable. */
  readonly step: number;
  /** The parsed manifest when it is valid, otherwise null. */
  readonly manifest: CheckpointManifest | null;
  /** Why the checkpoint cannot be used, or null when it can. */
  readonly problem: string | null;
}

/** A checkpoint whose manifest and files all verified. */
export interface ValidCheckpoint {
  readonly manifestPath: string;
  readonly manifest: CheckpointManifest;
}

/** Called between the steps of a checkpoint write. */
export interface CheckpointWriteHooks {
  /** After every data file is in place, before the manifest (tests). */
  readonly beforeManifest?: () => Promise<void>;
}

/**
 * Writes a checkpoint atomically: each data file goes to a temporary
 * name, is fsynced and renamed into place (its name carries its checksum,
 * so it never replaces a file another manifest relies on); the manifest
 * follows the same way, last, and the directory is fsynced. Nothing is
 * ever deleted.
 *
 * @param jobDir - the job's checkpoint directory (created if absent)
 * @param record - step, seed, loss, data order and file contents
 * @param hooks - what to run between data and manifest (tests only)
 * @returns the manifest's path and content
 */
export async function writeCheckpoint(
  jobDir: string,
  record: CheckpointRecord,
  hooks: CheckpointWriteHooks = {},
): Promise<ValidCheckpoint> {
  await mkdir(jobDir, {recursive: true});
  const files: CheckpointFile[] = [];
  for (const content of record.files) {
    files.push(await writeDataFile(jobDir, record.step, content));
  }
  await syncDirectory(jobDir);
  await hooks.beforeManifest?.();
  const manifest: CheckpointManifest = {
    schemaVersion: 1,
    step: record.step,
    seed: record.seed,
    loss: record.loss,
    dataOrder: {...record.dataOrder},
    files,
  };
  const manifestPath = path.join(jobDir, manifestFileName(record.step));
  const text = JSON.stringify(manifest, null, 2) + '\n';
  await writeAtomically(manifestPath, Buffer.from(text));
  await syncDirectory(jobDir);
  return {manifestPath, manifest};
}

/**
 * Lists every checkpoint manifest in `jobDir`, ascending by step, each
 * verified: parsable, name agreeing with its step, and every data file
 * present with the recorded size and sha256.
 *
 * @param jobDir - the job's checkpoint directory; absent means none
 */
export async function listCheckpoints(
  jobDir: string,
): Promise<CheckpointListing[]> {
  const listings: CheckpointListing[] = [];
  for (const fileName of await manifestNames(jobDir)) {
    listings.push(await inspectManifest(jobDir, fileName));
  }
  return listings.sort((a, b) => a.step - b.step);
}

/**
 * The valid checkpoint with the highest step: chosen by the step each
 * manifest records, never by modification time or a "last" alias.
 * Manifests are tried from the highest step down; each unusable one is
 * reported to `onSkipped` and passed over.
 *
 * @param jobDir - the job's checkpoint directory
 * @param onSkipped - told about every checkpoint passed over
 * @returns the checkpoint, or null when none is usable
 */
export async function findLatestValidCheckpoint(
  jobDir: string,
  onSkipped: (listing: CheckpointListing) => void = () => {},
): Promise<ValidCheckpoint | null> {
  const candidates = await Promise.all(
    (await manifestNames(jobDir)).map(async (fileName) => ({
      fileName,
      step: await claimedStep(jobDir, fileName),
    })),
  );
  candidates.sort((a, b) => b.step - a.step);
  for (const {fileName} of candidates) {
    const listing = await inspectManifest(jobDir, fileName);
    if (listing.manifest && !listing.problem) {
      return {manifestPath: listing.manifestPath, manifest: listing.manifest};
    }
    onSkipped(listing);
  }
  return null;
}

/**
 * Reads one data file of a checkpoint and checks it against the manifest.
 *
 * @throws Error when the size or checksum differs (a torn or changed file)
 */
export async function readCheckpointFile(
  jobDir: string,
  file: CheckpointFile,
): Promise<Uint8Array> {
  const bytes = await readFile(path.join(jobDir, file.fileName));
  const problem = verifyBytes(file, bytes);
  if (problem) throw new Error(problem);
  return bytes;
}

async function writeDataFile(
  jobDir: string,
  step: number,
  content: CheckpointFileContent,
): Promise<CheckpointFile> {
  const sha256 = createHash('sha256').update(content.bytes).digest('hex');
  const stem = manifestFileName(step).replace(/\.json$/, '');
  const fileName = `${stem}.${content.role}.${sha256.slice(0, 16)}.bin`;
  await writeAtomically(path.join(jobDir, fileName), content.bytes);
  return {
    role: content.role,
    fileName,
    byteLength: content.bytes.byteLength,
    sha256,
    tensors: content.tensors.map((layout) => ({...layout})),
  };
}

// Temporary file, fsync, rename: readers see the old file or the new one.
async function writeAtomically(
  target: string,
  bytes: Uint8Array,
): Promise<void> {
  const temporary = path.join(
    path.dirname(target),
    `.tmp-${randomUUID()}-${path.basename(target)}`,
  );
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target);
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function manifestNames(jobDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(jobDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => stepOfManifestName(name) !== null).sort();
}

const ClaimedStep = z.object({step: z.number().int().nonnegative()});

// The step a manifest claims, cheaply: its own field when it parses.
async function claimedStep(jobDir: string, fileName: string): Promise<number> {
  const nameStep = stepOfManifestName(fileName) ?? -1;
  try {
    const text = await readFile(path.join(jobDir, fileName), 'utf8');
    const parsed = ClaimedStep.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.step : nameStep;
  } catch {
    return nameStep;
  }
}

async function inspectManifest(
  jobDir: string,
  fileName: string,
): Promise<CheckpointListing> {
  const manifestPath = path.join(jobDir, fileName);
  const nameStep = stepOfManifestName(fileName) ?? -1;
  const unusable = (problem: string, step = nameStep): CheckpointListing => ({
    manifestPath,
    step,
    manifest: null,
    problem,
  });

  let document: unknown;
  try {
    document = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    return unusable(`manifest is not readable JSON: ${messageOf(error)}`);
  }
  const parsed = CheckpointManifest.safeParse(document);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error)
      .map((issue) => `${issue.field} ${issue.problem}`)
      .join('; ');
    return unusable(`manifest does not match the schema: ${issues}`);
  }

  const manifest = parsed.data;
  if (manifest.step !== nameStep) {
    return unusable(
      `manifest step ${manifest.step} disagrees with its name ${fileName}`,
      manifest.step,
    );
  }
  for (const file of manifest.files) {
    const problem = await verifyFile(jobDir, file);
    if (problem) return unusable(problem, manifest.step);
  }
  return {manifestPath, step: manifest.step, manifest, problem: null};
}

async function verifyFile(
  jobDir: string,
  file: CheckpointFile,
): Promise<string | null> {
  try {
    return verifyBytes(file, await readFile(path.join(jobDir, file.fileName)));
  } catch (error) {
    return `data file ${file.fileName} is not readable: ${messageOf(error)}`;
  }
}

function verifyBytes(file: CheckpointFile, bytes: Uint8Array): string | null {
  if (bytes.byteLength !== file.byteLength) {
    return `data file ${file.fileName} has ${bytes.byteLength} bytes, ` +
      `the manifest records ${file.byteLength}`;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== file.sha256) {
    return `data file ${file.fileName} has sha256 ${sha256}, ` +
      `the manifest records ${file.sha256}`;
  }
  return null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
