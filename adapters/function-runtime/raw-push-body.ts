import type {CloudEvent} from '@google-cloud/functions-framework';
import type {MessagePublishedData} from './pubsub-event.js';

/** The body of a Pub/Sub push request, as the subscription POSTs it. */
interface PushBody {
  message?: {messageId?: string; publishTime?: string};
  subscription?: string;
}

/**
 * The event as a Pub/Sub CloudEvent. functions-framework converts a push
 * request only when its message has data, so a message with empty data
 * arrives as the raw push body; it is wrapped here so that it is refused
 * with its message id like any other bad request, not retried forever.
 */
export function asPubSubEvent(
  event: CloudEvent<MessagePublishedData>,
): CloudEvent<MessagePublishedData> {
  if (event.data?.message) return event;
  const body = event as unknown as PushBody;
  if (!body.message?.messageId) return event;
  return {
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '',
    id: body.message.messageId,
    data: {
      message: {...body.message, data: ''},
      ...(body.subscription ? {subscription: body.subscription} : {}),
    },
  } as CloudEvent<MessagePublishedData>;
}
