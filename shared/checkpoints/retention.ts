import {SchedulerError} from '../errors.js';
import type {CheckpointInventory} from './checkpoint-inventory.js';

/** How many checkpoints to keep, and whether the job has finished. */
export interface RetentionPolicy {
  /**
   * Complete checkpoints to keep, highest steps first. At least 1 while
   * the job is unfinished; 0 is allowed only for a finished job.
   */
  readonly keepCompleteCount: number;
  /** True once the job succeeded or was given up for good. */
  readonly jobFinished: boolean;
}

/** An object retention keeps, and why. */
export interface KeptObject {
  readonly name: string;
  readonly reason:
    | 'latest complete checkpoint'
    | 'within keepCompleteCount'
    | 'newer than the latest complete checkpoint'
    | 'referenced by a kept manifest'
    | 'not in the checkpoint layout'
    | 'no complete checkpoint yet';
}

/** Which objects may be deleted; everything else stays. */
export interface RetentionPlan {
  /** Manifests first, then data, so no manifest outlives its data. */
  readonly deletable: readonly string[];
  readonly kept: readonly KeptObject[];
}

/** A retention policy that could delete the checkpoint a resume needs. */
export class RetentionPolicyError extends SchedulerError {
  constructor(message: string) {
    super('retention-policy-invalid', message);
  }
}

/**
 * Decides which checkpoint objects are superseded. Only a step below a
 * kept complete checkpoint is superseded; the latest complete checkpoint
 * of an unfinished job is never deletable, nor anything newer (it may be
 * being written), nor any name outside the layout. Without a complete
 * checkpoint nothing is superseded.
 *
 * @throws RetentionPolicyError for keepCompleteCount below 1 on an
 *   unfinished job, or not a whole number
 */
export function planRetention(
  inventory: CheckpointInventory,
  policy: RetentionPolicy,
): RetentionPlan {
  const minimum = policy.jobFinished ? 0 : 1;
  if (!Number.isInteger(policy.keepCompleteCount) ||
      policy.keepCompleteCount < minimum) {
    throw new RetentionPolicyError(
      `keepCompleteCount ${policy.keepCompleteCount} is not allowed: ` +
        `use a whole number of at least ${minimum}` +
        (policy.jobFinished ? '' : ', since an unfinished job resumes ' +
          'from its latest complete checkpoint'));
  }

  const kept: KeptObject[] = inventory.foreignNames
    .map((name) => ({name, reason: 'not in the checkpoint layout'}));
  const complete = inventory.entries.filter((entry) => entry.complete);
  const latest = complete.at(-1);
  if (!latest) {
    for (const entry of inventory.entries) {
      for (const name of namesOf(entry)) {
        kept.push({name, reason: 'no complete checkpoint yet'});
      }
    }
    return {deletable: [], kept};
  }

  const keptSteps = new Set(complete
    .slice(Math.max(0, complete.length - policy.keepCompleteCount))
    .map((entry) => entry.step));
  const protectedNames = new Set(complete
    .filter((entry) => keptSteps.has(entry.step))
    .flatMap((entry) => entry.referencedNames));

  const manifests: string[] = [];
  const data: string[] = [];
  for (const entry of inventory.entries) {
    const reason = entry.step > latest.step
      ? 'newer than the latest complete checkpoint'
      : !keptSteps.has(entry.step)
        ? null
        : entry.step === latest.step && !policy.jobFinished
          ? 'latest complete checkpoint'
          : 'within keepCompleteCount';
    for (const name of namesOf(entry)) {
      if (reason !== null) kept.push({name, reason});
      else if (protectedNames.has(name)) {
        kept.push({name, reason: 'referenced by a kept manifest'});
      } else if (name === entry.manifestName) manifests.push(name);
      else data.push(name);
    }
  }
  return {deletable: [...manifests, ...data], kept};
}

function namesOf(entry: {manifestName: string | null;
    dataNames: readonly string[]}): string[] {
  return [...(entry.manifestName ? [entry.manifestName] : []),
    ...entry.dataNames];
}
