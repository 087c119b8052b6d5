import {createHash} from 'node:crypto';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  decodePubSubEvent,
  type DecodedMessage,
  type MessagePublishedData,
} from '../../adapters/function-runtime/pubsub-event.js';
import {
  jobKeys,
  readSnapshot,
  writeSnapshot,
} from '../../shared/jobs/job-snapshot.js';
import {toJobRow} from '../../shared/ledger/job-rows.js';
import {readJson, type BlobStore} from '../../shared/ports/blob-store.js';
import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';
import type {LifecycleStarter} from '../../shared/ports/lifecycle-starter.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import {parseJobDocument} from '../../shared/schemas/parse-job-document.js';
import type {ValidationIssue} from '../../shared/schemas/validation-issues.js';
import type {Clock} from '../../shared/time/clock.js';
import {asPubSubEvent} from
  '../../adapters/function-runtime/raw-push-body.js';
import {loadRegionCatalog} from '../../shared/catalog/region-catalog.js';
import {loadHardwareCatalog} from
  '../../shared/footprint/hardware-catalog.js';
import {
  JOB_REQUEST_LIMIT_BYTES,
} from '../../shared/messaging/message-limits.js';

/** What ingest-job needs. */
export interface IngestJobDependencies {
  readonly clock: Clock;
  readonly blobs: BlobStore;
  /** Where uploaded job files are read (the intake bucket). */
  readonly intake: BlobStore;
  readonly publisher: MessagePublisher;
  readonly lifecycle: LifecycleStarter;
  readonly logger: Logger;
  /** Where the accepted job's row goes (`jobs`). */
  readonly ledger: LedgerWriter;
  readonly projectId: string;
  readonly pollSeconds: number;
  /** Region ids a request may name; the shipped catalog's by default. */
  readonly regionIds?: readonly string[];
}

/**
 * ingest-job: a job request from the `job-requests` topic or an upload
 * notification from the intake bucket. A valid request gets a stable
 * jobId, its snapshot and one lifecycle execution; an invalid one goes to
 * `job-rejected` with every reason. Redeliveries start nothing new.
 */
export function createIngestJob(dependencies: IngestJobDependencies) {
  return async (event: CloudEvent<MessagePublishedData>): Promise<void> => {
    const {logger} = dependencies;
    const pubSubEvent = asPubSubEvent(event);
    const message = decodePubSubEvent(pubSubEvent);
    const source = await readSubmission(dependencies, message, pubSubEvent);
    if (!source) return;

    // Validate as `carbon-scheduler validate` does; a refused request is
    // kept on job-rejected, never dropped.
    // The catalogs are read only when a request gets as far as naming
    // regions and machines, so a malformed message never loads them.
    const result = parseJobDocument(source.bytes, {
      nowMs: dependencies.clock.nowMs(),
      get regionIds() {
        return dependencies.regionIds ?? catalogRegionIds();
      },
      get machineTypes() {
        return catalogMachineTypes();
      },
    });
    if (!result.ok) {
      await reject(dependencies, message, source, result.issues);
      return;
    }
    const jobId = result.request.jobId ?? source.derivedJobId;
    const request = {...result.request, jobId};
    const fields = {jobId, messageId: message.messageId, source: source.origin};

    // Claim the jobId; a redelivered submission finds it taken.
    const created = await dependencies.blobs.createIfAbsent(
      jobKeys.request(jobId),
      JSON.stringify(request, null, 2),
    );
    if (!created) {
      logger.log('INFO', 'duplicate submission ignored', fields);
      await repeatJobRow(dependencies, jobId);
      return;
    }
    const nowMs = dependencies.clock.nowMs();
    await writeSnapshot(dependencies.blobs, {
      jobId,
      state: 'accepted',
      submittedAtMs: nowMs,
      updatedAtMs: nowMs,
      lastSequence: 0,
      segments: [],
      decisions: [],
    });
    await dependencies.ledger.append('jobs',
      [toJobRow(request, nowMs, nowMs)]);

    // Start the lifecycle and say so.
    const execution = await dependencies.lifecycle.start({
      jobId,
      project: dependencies.projectId,
      pollSeconds: dependencies.pollSeconds,
      maxMonitorPolls: Math.ceil(
        (Date.parse(request.constraints.deadline) - nowMs) /
          1000 /
          dependencies.pollSeconds,
      ) + 10,
      replanIfWaitOverSeconds: 6 * 3600,
    });
    logger.log('INFO', 'job accepted', {...fields, ...execution});
    await dependencies.publisher.publish(
      'job-events',
      {jobId, event: 'accepted', atMs: nowMs, ...execution},
      {jobId, event: 'accepted'},
    );
  };
}

// A redelivery writes the claimed job's row again (same insert id), in
// case the first delivery failed between the claim and the ledger.
async function repeatJobRow(
  dependencies: IngestJobDependencies,
  jobId: string,
): Promise<void> {
  const [stored, snapshot] = await Promise.all([
    readJson<JobRequest & {jobId: string}>(dependencies.blobs,
      jobKeys.request(jobId)),
    readSnapshot(dependencies.blobs, jobId)]);
  if (!stored || !snapshot) return;
  await dependencies.ledger.append('jobs', [toJobRow(stored,
    snapshot.submittedAtMs, dependencies.clock.nowMs())]);
}

interface Submission {
  /** The document as received, before any decoding. */
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly origin: string;
  /** A jobId that is the same on every redelivery of this submission. */
  readonly derivedJobId: string;
}

// The job text: the message itself, or the uploaded object it names.
async function readSubmission(
  dependencies: IngestJobDependencies,
  message: DecodedMessage,
  event: CloudEvent<MessagePublishedData>,
): Promise<Submission | undefined> {
  const {attributes} = message;
  if (attributes.eventType === undefined) {
    return {
      bytes: Buffer.from(event.data?.message?.data ?? '', 'base64'),
      text: message.text,
      origin: 'job-requests',
      derivedJobId: `job-${digest(message.messageId)}`,
    };
  }
  if (attributes.eventType !== 'OBJECT_FINALIZE') {
    dependencies.logger.log('DEBUG', 'bucket event ignored', attributes);
    return undefined;
  }
  const objectId = attributes.objectId ?? '';
  const generation = attributes.objectGeneration ?? '';
  const bytes = await dependencies.intake.read(objectId);
  const origin = `gs://${attributes.bucketId}/${objectId}#${generation}`;
  if (bytes === undefined) {
    // Deleted before it was read: nothing to run, say so and move on.
    dependencies.logger.log('WARNING', 'uploaded job file vanished', {origin});
    return undefined;
  }
  return {
    bytes,
    text: bytes.toString('utf8'),
    origin,
    derivedJobId: `upload-${digest(origin)}`,
  };
}

async function reject(
  dependencies: IngestJobDependencies,
  message: DecodedMessage,
  source: Submission,
  issues: ValidationIssue[],
): Promise<void> {
  dependencies.logger.log('WARNING', 'job request rejected', {
    messageId: message.messageId,
    source: source.origin,
    reasons: issues,
  });
  await dependencies.publisher.publish(
    'job-rejected',
    {
      source: source.origin,
      sourceMessageId: message.messageId,
      rejectedAtMs: dependencies.clock.nowMs(),
      reasons: issues,
      // Cut at the product limit so the rejection itself always fits.
      original: source.text.slice(0, JOB_REQUEST_LIMIT_BYTES),
    },
    {sourceMessageId: message.messageId, reason: 'invalid-job-request'},
  );
}

let cachedRegionIds: readonly string[] | undefined;

// Read on the first request, not at load, to keep cold starts short.
function catalogRegionIds(): readonly string[] {
  cachedRegionIds ??= loadRegionCatalog().regions.map((region) => region.id);
  return cachedRegionIds;
}

let cachedMachineTypes: readonly string[] | undefined;

// Machine types the shipped hardware data knows (read once).
function catalogMachineTypes(): readonly string[] {
  cachedMachineTypes ??= [...loadHardwareCatalog().machineTypes.keys()];
  return cachedMachineTypes;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
