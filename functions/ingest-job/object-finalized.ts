import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  decodePubSubEvent,
  type DecodedMessage,
  type MessagePublishedData,
} from '../../adapters/function-runtime/pubsub-event.js';
import {createIngestJob, type IngestJobDependencies} from './handler.js';
import {asPubSubEvent} from
  '../../adapters/function-runtime/raw-push-body.js';

import {jobFileNameProblem} from '../../shared/schemas/job-file-name.js';

/** File names the intake accepts: a job request in JSON or YAML. */
export {
  isJobFileName,
  JOB_FILE_EXTENSIONS,
} from '../../shared/schemas/job-file-name.js';

/** The attributes of a Cloud Storage notification on a topic. */
export interface ObjectNotificationAttributes {
  readonly bucketId: string;
  readonly objectId: string;
  readonly objectGeneration: string;
  readonly eventType: string;
}

/**
 * ingest-job for both of its topics: a job request on `job-requests`, or
 * a Cloud Storage notification on `job-uploads` naming an uploaded
 * object. An upload that is not a JSON or YAML file is refused on
 * `job-rejected` with the reason; a job file is read through the intake
 * BlobStore and handled like a request, its jobId (when it has none)
 * derived from bucket, object and generation, so a redelivered
 * notification is never a second job.
 */
export function createJobIntake(dependencies: IngestJobDependencies) {
  const ingest = createIngestJob(dependencies);
  return async (event: CloudEvent<MessagePublishedData>): Promise<void> => {
    // Anything that is not a readable notification is ingest's to judge.
    let message: DecodedMessage;
    try {
      message = decodePubSubEvent(asPubSubEvent(event));
    } catch {
      await ingest(event);
      return;
    }
    const notification = objectNotificationOf(message);
    const notJobFile = notification?.eventType === 'OBJECT_FINALIZE'
      ? jobFileNameProblem(notification.objectId) : null;
    if (notification && notJobFile !== null) {
      await rejectUpload(dependencies, message, notification, notJobFile);
      return;
    }
    await ingest(event);
  };
}

/** The notification attributes, when the message is one. */
export function objectNotificationOf(
  message: DecodedMessage,
): ObjectNotificationAttributes | undefined {
  const {bucketId, objectId, objectGeneration, eventType} = message.attributes;
  if (!eventType || !bucketId || !objectId) return undefined;
  return {bucketId, objectId, objectGeneration: objectGeneration ?? '',
    eventType};
}

async function rejectUpload(
  dependencies: IngestJobDependencies,
  message: DecodedMessage,
  notification: ObjectNotificationAttributes,
  problem: string,
): Promise<void> {
  const source = `gs://${notification.bucketId}/${notification.objectId}` +
    `#${notification.objectGeneration}`;
  const reasons = [{
    field: 'objectId',
    problem,
  }];
  dependencies.logger.log('WARNING', 'uploaded file rejected', {
    messageId: message.messageId, source, reasons,
  });
  await dependencies.publisher.publish(
    'job-rejected',
    {
      source,
      sourceMessageId: message.messageId,
      rejectedAtMs: dependencies.clock.nowMs(),
      reasons,
      original: null,
    },
    {sourceMessageId: message.messageId, reason: 'not-a-job-file'},
  );
}
