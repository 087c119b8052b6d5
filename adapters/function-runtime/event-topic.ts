import type {CloudEvent} from '@google-cloud/functions-framework';
import type {MessagePublishedData} from './pubsub-event.js';

/**
 * The topic a Pub/Sub CloudEvent came from: its `source`
 * (`//pubsub.googleapis.com/projects/P/topics/T`), as functions-framework
 * and Eventarc set it. Undefined when the event names no topic.
 */
export function topicOfEvent(
  event: CloudEvent<MessagePublishedData>,
): string | undefined {
  const match = /\/topics\/([^/]+)$/.exec(event.source ?? '');
  return match?.[1];
}
