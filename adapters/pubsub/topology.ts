import type {PubSub} from '@google-cloud/pubsub';
import {TOPICS, type TopicName} from '../../shared/messaging/topics.js';
import {
  AUDITED_TOPICS,
  FUNCTIONS,
  MAX_DELIVERY_ATTEMPTS,
} from '../../functions/registry.js';

/** Name of the push subscription that delivers `topic` to `functionName`. */
export function pushSubscriptionName(
  topic: TopicName,
  functionName: string,
): string {
  return `${topic}--${functionName}`;
}

/** Name of the pull subscription that keeps an audited topic's messages. */
export function auditSubscriptionName(topic: TopicName): string {
  return `${topic}--audit`;
}

/**
 * The push path functions-framework turns into a Pub/Sub CloudEvent.
 * {@link https://cloud.google.com/pubsub/docs/push}
 */
export function pushPath(projectId: string, topic: TopicName): string {
  return `/projects/${projectId}/topics/${topic}`;
}

/**
 * Creates every topic of the design, a push subscription per function
 * topic (with a dead-letter policy and a retry policy), and a pull
 * subscription on each audited topic so nothing published there is lost.
 * Existing resources are left as they are.
 */
export async function ensureTopology(
  pubsub: PubSub,
  functionBaseUrls: Record<string, string>,
): Promise<void> {
  for (const topic of TOPICS) await ensureTopic(pubsub, topic);

  for (const definition of FUNCTIONS) {
    const baseUrl = functionBaseUrls[definition.name];
    if (!baseUrl) continue;
    for (const topic of definition.topics) {
      const endpoint = baseUrl + pushPath(pubsub.projectId, topic);
      await ensureSubscription(pubsub, topic, pushSubscriptionName(
        topic,
        definition.name,
      ), {
        pushConfig: {pushEndpoint: endpoint},
        ackDeadlineSeconds: 60,
        deadLetterPolicy: {
          deadLetterTopic: pubsub.topic('dead-letters').name,
          maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
        },
        retryPolicy: {
          minimumBackoff: {seconds: 1},
          maximumBackoff: {seconds: 10},
        },
      });
    }
  }

  // Audit copies are kept a week, as Terraform keeps them (which also
  // makes them never expire; the emulator reads an empty expiration
  // policy otherwise, so none is sent); no backoff, so `dlq list` (which
  // nacks) hands them straight back.
  for (const topic of AUDITED_TOPICS) {
    await ensureSubscription(pubsub, topic, auditSubscriptionName(topic), {
      messageRetentionDuration: {seconds: 7 * 24 * 3600},
    });
  }
}

async function ensureTopic(pubsub: PubSub, topic: TopicName): Promise<void> {
  const [exists] = await pubsub.topic(topic).exists();
  if (!exists) await pubsub.createTopic(topic);
}

async function ensureSubscription(
  pubsub: PubSub,
  topic: TopicName,
  name: string,
  options: Record<string, unknown>,
): Promise<void> {
  const subscription = pubsub.subscription(name);
  const [exists] = await subscription.exists();
  if (!exists) {
    await pubsub.topic(topic).createSubscription(name, options);
    return;
  }
  // A push subscription left by an earlier run points at its old server.
  const pushConfig = options.pushConfig as {pushEndpoint: string} | undefined;
  if (pushConfig) await subscription.modifyPushConfig(pushConfig);
}
