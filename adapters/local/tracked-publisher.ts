import type {PubSub} from '@google-cloud/pubsub';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import type {TopicName} from '../../shared/messaging/topics.js';
import {PubSubPublisher} from '../pubsub/pubsub-publisher.js';
import type {VirtualClock} from './virtual-clock.js';

/**
 * Publishes to the emulator and holds the virtual clock for every message
 * a local function will handle, until that function has settled it. So
 * time cannot move while a message is between publisher and handler.
 */
export class TrackedPublisher implements MessagePublisher {
  private readonly inner: PubSubPublisher;
  private readonly pending = new Map<string, () => void>();
  private readonly settledEarly = new Set<string>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly clock: VirtualClock,
    private readonly handledTopics: ReadonlySet<string>,
  ) {
    this.inner = new PubSubPublisher(pubsub);
  }

  publish(
    topic: TopicName,
    body: unknown,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    return this.track(topic, () => this.inner.publish(topic, body, attributes));
  }

  /** Publishes already-encoded data (the workflow connector's shape). */
  publishEncoded(
    topic: string,
    dataBase64: string,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    return this.track(topic, () =>
      this.pubsub.topic(topic).publishMessage({
        data: Buffer.from(dataBase64, 'base64'),
        attributes,
      }),
    );
  }

  /** Called once a local function has finished with a message. */
  settle(messageId: string): void {
    const release = this.pending.get(messageId);
    if (release) {
      this.pending.delete(messageId);
      release();
    } else {
      this.settledEarly.add(messageId);
    }
  }

  /** Messages published but not yet settled, for diagnostics. */
  inFlightCount(): number {
    return this.pending.size;
  }

  private async track(
    topic: string,
    send: () => Promise<string>,
  ): Promise<string> {
    if (!this.handledTopics.has(topic)) return send();
    const release = this.clock.hold(`message on ${topic}`);
    let messageId: string;
    try {
      messageId = await send();
    } catch (error) {
      release();
      throw error;
    }
    if (this.settledEarly.delete(messageId)) {
      release();
    } else {
      this.pending.set(messageId, release);
    }
    return messageId;
  }
}
