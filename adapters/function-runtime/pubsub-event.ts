import {asPubSubEvent} from './raw-push-body.js';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {SchedulerError} from '../../shared/errors.js';

/** The data of a `google.cloud.pubsub.topic.v1.messagePublished` event. */
export interface MessagePublishedData {
  message?: {
    data?: string;
    attributes?: Record<string, string>;
    messageId?: string;
    message_id?: string;
    publishTime?: string;
    publish_time?: string;
  };
  subscription?: string;
}

/** A decoded Pub/Sub message. */
export interface DecodedMessage {
  readonly messageId: string;
  readonly publishTime: string | undefined;
  readonly attributes: Record<string, string>;
  /** The UTF-8 text of the message's data. */
  readonly text: string;
}

/** A message that can never succeed: acknowledge and dead-letter it. */
export class PermanentMessageError extends SchedulerError {
  constructor(
    code: string,
    message: string,
    readonly reasons: readonly {field: string; problem: string}[] = [],
  ) {
    super(code, message, {retryable: false});
  }
}

/**
 * Decodes the Pub/Sub message inside a CloudEvent: base64 `data`, string
 * attributes, and the id under either of its spellings.
 */
export function decodePubSubEvent(
  event: CloudEvent<MessagePublishedData>,
): DecodedMessage {
  // A message with empty data arrives as the raw push body.
  const message = asPubSubEvent(event).data?.message;
  if (!message) {
    throw new PermanentMessageError(
      'not-a-pubsub-message',
      `event ${event.id} of type ${event.type} carries no Pub/Sub message`,
    );
  }
  return {
    messageId: message.messageId ?? message.message_id ?? event.id,
    publishTime: message.publishTime ?? message.publish_time,
    attributes: message.attributes ?? {},
    text: Buffer.from(message.data ?? '', 'base64').toString('utf8'),
  };
}

/** Parses the message text as JSON, or fails permanently (`invalid-json`). */
export function parseJsonMessage(message: DecodedMessage): unknown {
  try {
    return JSON.parse(message.text);
  } catch (error) {
    throw new PermanentMessageError(
      'invalid-json',
      `message ${message.messageId} is not valid JSON: ` +
        (error as Error).message,
    );
  }
}
