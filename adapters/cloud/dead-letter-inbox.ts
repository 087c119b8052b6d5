import type {PubSub} from '@google-cloud/pubsub';
import {SchedulerError} from '../../shared/errors.js';
import {TOPICS, type TopicName} from '../../shared/messaging/topics.js';
import {auditSubscriptionName} from '../pubsub/topology.js';

/** Attributes Pub/Sub adds when its dead-letter policy forwards. */
const FORWARDED_PREFIX = 'CloudPubSubDeadLetter';

/** One message kept on the dead-letter topic. */
export interface DeadLetter {
  /** Id of the message on `dead-letters`. */
  readonly messageId: string;
  readonly publishTime: string | null;
  /** `policy`: forwarded after the last delivery attempt; `function`: a
   * function refused it for good and published it with its reasons. */
  readonly kind: 'policy' | 'function';
  /** The topic it was first published to; null when unknown. */
  readonly originalTopic: string | null;
  /** Deliveries tried before it came here; null when unknown. */
  readonly attempts: number | null;
  /** Why it failed, as the function said; null when it only kept failing. */
  readonly error: string | null;
  /** The original message's id, when known. */
  readonly originalMessageId: string | null;
  /** What replay publishes: the original data and attributes. */
  readonly original: {text: string; attributes: Record<string, string>};
}

interface PulledMessage {
  readonly ackId: string;
  readonly letter: DeadLetter;
}

/** Where dead letters are read, by default the topic's audit pull. */
export interface InboxOptions {
  readonly subscription?: string;
  /** Most messages read in one call; default 1000. */
  readonly maxMessages?: number;
}

/**
 * Lists what waits on the dead-letter subscription without consuming it:
 * every pulled message is handed back at once (ack deadline 0).
 */
export async function listDeadLetters(
  pubsub: PubSub,
  options: InboxOptions = {},
): Promise<DeadLetter[]> {
  return withPulled(pubsub, options, async (pulled, release) => {
    await release(pulled.map((entry) => entry.ackId));
    return pulled.map((entry) => entry.letter);
  });
}

/** What a replay did. */
export interface ReplayResult {
  readonly replayed: {messageId: string; topic: string; newMessageId: string}[];
  /** Letters left on the subscription, with why. */
  readonly kept: {messageId: string; reason: string}[];
}

/**
 * Re-publishes the chosen dead letters (by id, or all) to their original
 * topics, then acknowledges each one only after its publish succeeded;
 * anything not replayed is handed back, so nothing is lost.
 */
export async function replayDeadLetters(
  pubsub: PubSub,
  selection: {ids?: readonly string[]; all?: boolean},
  options: InboxOptions = {},
): Promise<ReplayResult> {
  const wanted = new Set(selection.ids ?? []);
  return withPulled(pubsub, options, async (pulled, release, acknowledge) => {
    const replayed: ReplayResult['replayed'] = [];
    const kept: ReplayResult['kept'] = [];
    const handBack: string[] = [];
    for (const {ackId, letter} of pulled) {
      if (!selection.all && !wanted.has(letter.messageId)) {
        handBack.push(ackId);
        continue;
      }
      if (!letter.originalTopic) {
        kept.push({messageId: letter.messageId,
          reason: 'its original topic is unknown'});
        handBack.push(ackId);
        continue;
      }
      const newMessageId = await pubsub
        .topic(letter.originalTopic)
        .publishMessage({
          data: Buffer.from(letter.original.text),
          attributes: {...letter.original.attributes,
            replayOf: letter.messageId},
        });
      await acknowledge([ackId]);
      replayed.push({messageId: letter.messageId,
        topic: letter.originalTopic, newMessageId});
    }
    await release(handBack);
    for (const id of wanted) {
      if (!pulled.some((entry) => entry.letter.messageId === id)) {
        kept.push({messageId: id, reason: 'no dead letter has this id'});
      }
    }
    return {replayed, kept};
  });
}

type Settle = (ackIds: string[]) => Promise<void>;

// Pulls everything waiting, runs `use`, and hands back whatever `use`
// neither acknowledged nor released if it fails.
async function withPulled<T>(
  pubsub: PubSub,
  options: InboxOptions,
  use: (pulled: PulledMessage[], release: Settle, acknowledge: Settle) =>
    Promise<T>,
): Promise<T> {
  const {v1} = await import('@google-cloud/pubsub');
  const config = await pubsub.getClientConfig();
  const client = new v1.SubscriberClient(
    config as ConstructorParameters<typeof v1.SubscriberClient>[0]);
  const subscription = client.subscriptionPath(pubsub.projectId,
    options.subscription ?? auditSubscriptionName('dead-letters'));
  const settled = new Set<string>();
  const release: Settle = async (ackIds) => {
    if (ackIds.length === 0) return;
    await client.modifyAckDeadline({subscription, ackIds,
      ackDeadlineSeconds: 0});
    for (const id of ackIds) settled.add(id);
  };
  const acknowledge: Settle = async (ackIds) => {
    if (ackIds.length === 0) return;
    await client.acknowledge({subscription, ackIds});
    for (const id of ackIds) settled.add(id);
  };
  const pulled: PulledMessage[] = [];
  try {
    const limit = options.maxMessages ?? 1000;
    const seen = new Set<string>();
    while (pulled.length < limit) {
      const [response] = await client.pull({subscription,
        maxMessages: Math.min(100, limit - pulled.length),
        returnImmediately: true});
      const received = response.receivedMessages ?? [];
      const fresh = received.filter((entry) =>
        !seen.has(entry.message?.messageId ?? ''));
      if (fresh.length === 0) break;
      for (const entry of fresh) {
        seen.add(entry.message?.messageId ?? '');
        pulled.push({ackId: entry.ackId ?? '', letter: toLetter(entry)});
      }
    }
    return await use(pulled, release, acknowledge);
  } catch (error) {
    if (isNotFound(error)) {
      throw new SchedulerError('no-dead-letter-subscription',
        `subscription ${subscription} does not exist; create the topology ` +
          'first (the demo or Terraform does), or pass --subscription');
    }
    throw error;
  } finally {
    const unsettled = pulled.map((entry) => entry.ackId)
      .filter((id) => !settled.has(id));
    await release(unsettled).catch(() => {});
    await client.close();
  }
}

type ReceivedMessage = {
  ackId?: string | null;
  message?: {
    messageId?: string | null;
    data?: Uint8Array | string | null;
    attributes?: Record<string, string> | null;
    publishTime?: {seconds?: unknown; nanos?: number | null} | null;
  } | null;
  deliveryAttempt?: number | null;
};

function toLetter(entry: ReceivedMessage): DeadLetter {
  const message = entry.message ?? {};
  const attributes = message.attributes ?? {};
  const text = Buffer.from(message.data ?? '').toString('utf8');
  const messageId = message.messageId ?? '';
  const publishTime = timeOf(message.publishTime);
  const sourceSubscription =
    attributes[`${FORWARDED_PREFIX}SourceSubscription`];

  // Forwarded by the dead-letter policy: the data is the original.
  if (sourceSubscription !== undefined) {
    const original = Object.fromEntries(Object.entries(attributes)
      .filter(([name]) => !name.startsWith(FORWARDED_PREFIX)));
    const count = Number(attributes[`${FORWARDED_PREFIX}SourceDeliveryCount`]);
    return {
      messageId, publishTime, kind: 'policy',
      originalTopic: topicOfSubscription(sourceSubscription),
      attempts: Number.isFinite(count) ? count : null,
      error: null,
      originalMessageId: attributes[`${FORWARDED_PREFIX}SourceMessageId`] ??
        null,
      original: {text, attributes: original},
    };
  }

  // Published by a function with its reasons and the original inside.
  let body: {code?: string; message?: string; original?: string;
    originalAttributes?: Record<string, string>} = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not a function's record: replayed as it is, if a topic is known
  }
  const named = attributes.sourceTopic;
  return {
    messageId, publishTime, kind: 'function',
    originalTopic: named && isTopic(named) ? named : null,
    attempts: null,
    error: body.code ? `${body.code}: ${body.message ?? ''}` : null,
    originalMessageId: attributes.sourceMessageId ?? null,
    original: {
      text: typeof body.original === 'string' ? body.original : text,
      attributes: body.originalAttributes ?? {},
    },
  };
}

// Push subscriptions are named `<topic>--<function>` by the topology.
function topicOfSubscription(subscription: string): string | null {
  const name = subscription.split('/').pop() ?? '';
  const topic = name.split('--')[0] ?? '';
  return isTopic(topic) ? topic : null;
}

function isTopic(name: string): name is TopicName {
  return (TOPICS as readonly string[]).includes(name);
}

function timeOf(
  stamp: {seconds?: unknown; nanos?: number | null} | null | undefined,
): string | null {
  if (!stamp || stamp.seconds === undefined) return null;
  const milliseconds = Number(stamp.seconds) * 1000 +
    Math.floor((stamp.nanos ?? 0) / 1e6);
  return new Date(milliseconds).toISOString();
}

function isNotFound(error: unknown): boolean {
  return (error as {code?: number}).code === 5;
}
