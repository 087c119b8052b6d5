import type {protos} from '@google-cloud/aiplatform';
import type {Logger} from '../../shared/ports/logger.js';
import type {LabelledTrainingJob} from
  '../../shared/ports/training-backend.js';
import {environmentOf} from './job-environment.js';
import {labelKeys, sanitizeLabelValue} from './job-labels.js';
import type {JobServiceClientLike} from './job-service-client.js';
import {trainingStateOf} from './job-states.js';
import {millisecondsOf} from './proto-timestamp.js';
import {TrainingJobListingError} from './vertex-errors.js';
import type {RegionListingFailure} from './vertex-errors.js';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

// Regions listed at once: enough to finish quickly, few enough that a
// poll does not open a connection to every region together.
const REGIONS_AT_ONCE = 8;

/** What listing the labelled CustomJobs of several regions needs. */
export interface LabelledListingOptions {
  readonly project: string;
  readonly productLabel: string;
  /** Every region a segment may have been launched in. */
  readonly regionIds: readonly string[];
  readonly clientFor: (regionId: string) => Promise<JobServiceClientLike>;
  readonly logger?: Logger;
}

/** The list filter of every CustomJob carrying the product's job label. */
export function labelledJobFilter(productLabel: string): string {
  return `labels.${labelKeys(productLabel).jobId}:*`;
}

/**
 * Every CustomJob with the product's job label, ended ones included, in
 * each of `regionIds` (CustomJobs are regional), every page. A region
 * whose list fails does not stop the others, but the listing then throws
 * {@link TrainingJobListingError} naming each failed region: a region
 * left out would make its running jobs look vanished.
 */
export async function listLabelledCustomJobs(
  options: LabelledListingOptions,
): Promise<LabelledTrainingJob[]> {
  // Step 1: each region, a few at a time, every page.
  const byRegion = new Map<string, LabelledTrainingJob[]>();
  const failures: RegionListingFailure[] = [];
  const waiting = [...options.regionIds];
  const worker = async () => {
    for (let regionId = waiting.shift(); regionId !== undefined;
      regionId = waiting.shift()) {
      try {
        byRegion.set(regionId, await listRegion(options, regionId));
      } catch (error) {
        failures.push({regionId,
          message: error instanceof Error ? error.message : String(error)});
      }
    }
  };
  await Promise.all(Array.from(
    {length: Math.min(REGIONS_AT_ONCE, waiting.length)}, worker));

  // Step 2: all regions or none.
  if (failures.length > 0) {
    throw new TrainingJobListingError(failures.sort((a, b) =>
      a.regionId.localeCompare(b.regionId)));
  }
  return options.regionIds.flatMap((regionId) =>
    byRegion.get(regionId) ?? []);
}

async function listRegion(
  options: LabelledListingOptions,
  regionId: string,
): Promise<LabelledTrainingJob[]> {
  const client = await options.clientFor(regionId);
  const parent = `projects/${options.project}/locations/${regionId}`;
  const filter = labelledJobFilter(options.productLabel);
  const listed: LabelledTrainingJob[] = [];
  let pageToken: string | undefined;
  do {
    const [page, , response] = await client.listCustomJobs(
      {parent, filter, ...(pageToken ? {pageToken} : {})},
      {autoPaginate: false});
    for (const job of page) {
      const entry = labelledJobOf(job, options.productLabel, options.logger);
      if (entry) listed.push(entry);
    }
    pageToken = response?.nextPageToken || undefined;
  } while (pageToken);
  return listed;
}

/**
 * A CustomJob as the reconciler reads it, or null when it carries no job
 * label or no attempt. The label holds the job id sanitised, which cannot
 * always be mapped back, so the id is read from the container's
 * `<PRODUCT>_JOB_ID` variable, which the launch sets to the id as given;
 * when that is missing or names another job, the label value is used and
 * a warning logged. The attempt is the `attempt` label, else the
 * `<PRODUCT>_SEGMENT_INDEX` variable.
 */
export function labelledJobOf(
  job: CustomJob,
  productLabel: string,
  logger?: Logger,
): LabelledTrainingJob | null {
  const keys = labelKeys(productLabel);
  const labelValue = job.labels?.[keys.jobId];
  if (!job.name || !labelValue) return null;

  // Step 1: the attempt, which the reconciler cannot do without.
  const segmentIndex = attemptOf(job.labels?.[keys.attempt]) ??
    attemptOf(environmentOf(job, productLabel, 'SEGMENT_INDEX'));
  if (segmentIndex === null) {
    logger?.log('WARNING', 'labelled training job has no attempt; left out',
      {trainingJobName: job.name, labelValue});
    return null;
  }

  // Step 2: the job id, exact where the container environment has it.
  const environmentJobId = environmentOf(job, productLabel, 'JOB_ID');
  let jobId = labelValue;
  if (environmentJobId !== undefined &&
      sanitizeLabelValue(environmentJobId) === labelValue) {
    jobId = environmentJobId;
  } else {
    logger?.log('WARNING',
      'training job environment names no job matching its label; job id ' +
        'taken from the label',
      {trainingJobName: job.name, labelValue,
        environmentJobId: environmentJobId ?? null});
  }
  return {
    jobId,
    trainingJobName: job.name,
    segmentIndex,
    state: trainingStateOf(job.state),
    createdAtMs: millisecondsOf(job.createTime),
  };
}

// A segment index written as a whole number; null otherwise.
function attemptOf(text: string | null | undefined): number | null {
  return text && /^\d+$/.test(text) ? Number(text) : null;
}
