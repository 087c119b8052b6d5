import type {PubSub} from '@google-cloud/pubsub';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import type {TopicName} from '../../shared/messaging/topics.js';

/** Most bytes a Pub/Sub message may carry (the service's limit is 10 MB). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Publishes JSON to Pub/Sub; attributes must already be strings. */
export class PubSubPublisher implements MessagePublisher {
  constructor(private readonly pubsub: PubSub) {}

  async publish(
    topic: TopicName,
    body: unknown,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    for (const [name, value] of Object.entries(attributes)) {
      if (typeof value !== 'string') {
        throw new TypeError(
          `attribute "${name}" must be a string, got ${typeof value}; ` +
            'Pub/Sub attributes are strings (use String(value))',
        );
      }
    }
    const data = Buffer.from(JSON.stringify(body));
    if (data.length > MAX_MESSAGE_BYTES) {
      throw new RangeError(
        `message for ${topic} is ${data.length} bytes; at most ` +
          `${MAX_MESSAGE_BYTES} are allowed: pass large data by pointer`,
      );
    }
    return this.pubsub.topic(topic).publishMessage({data, attributes});
  }
}
