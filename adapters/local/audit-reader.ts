import type {Message, PubSub} from '@google-cloud/pubsub';
import type {TopicName} from '../../shared/messaging/topics.js';
import {auditSubscriptionName} from '../pubsub/topology.js';

/** A message read back from an audited topic. */
export interface AuditedMessage {
  readonly messageId: string;
  readonly attributes: Record<string, string>;
  readonly body: unknown;
}

/**
 * Waits for the first message on an audited topic's pull subscription
 * that `matches`, acknowledging what it reads. Rejects after
 * `timeoutMilliseconds` of real time.
 */
export function waitForAuditedMessage(
  pubsub: PubSub,
  topic: TopicName,
  matches: (message: AuditedMessage) => boolean,
  timeoutMilliseconds = 30_000,
): Promise<AuditedMessage> {
  const subscription = pubsub.subscription(auditSubscriptionName(topic));
  return new Promise((resolve, reject) => {
    const finish = (action: () => void) => {
      clearTimeout(timer);
      subscription.removeListener('message', onMessage);
      void subscription.close().finally(action);
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`no matching message on ${topic} in time`)),
        ),
      timeoutMilliseconds,
    );
    const onMessage = (message: Message) => {
      message.ack();
      const audited: AuditedMessage = {
        messageId: message.id,
        attributes: message.attributes,
        body: JSON.parse(message.data.toString('utf8')),
      };
      if (matches(audited)) finish(() => resolve(audited));
    };
    subscription.on('message', onMessage);
    subscription.on('error', (error) => finish(() => reject(error)));
  });
}
