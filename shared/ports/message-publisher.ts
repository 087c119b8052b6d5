import type {TopicName} from '../messaging/topics.js';

/** Publishes JSON messages to the design's topics. */
export interface MessagePublisher {
  /**
   * Publishes `body` as JSON with string attributes; resolves with the
   * message id.
   */
  publish(
    topic: TopicName,
    body: unknown,
    attributes?: Record<string, string>,
  ): Promise<string>;
}
