import type {CloudEvent} from '@google-cloud/functions-framework';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import type {StepRuntime} from
  '../../../adapters/function-runtime/step-handler.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

/** A Pub/Sub CloudEvent carrying `data` as a push subscription sends it. */
export function pubSubEvent(
  data: string | Buffer,
  messageId: string,
  topic = 'launch-requests',
): CloudEvent<MessagePublishedData> {
  return {
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/demo/topics/${topic}`,
    id: messageId,
    data: {
      message: {
        data: Buffer.from(data).toString('base64'),
        messageId,
        attributes: {},
      },
      subscription: `projects/demo/subscriptions/${topic}`,
    },
  } as CloudEvent<MessagePublishedData>;
}

/**
 * A step runtime on a real blob directory, with a recording publisher
 * and callback sender (the emulator path is covered by the integration
 * tests).
 */
export function recordingRuntime(directory: string, nowMs: number) {
  const published: {topic: string; body: unknown}[] = [];
  const replies: {url: string; body: unknown}[] = [];
  const logger = createMemoryLogger();
  const runtime: StepRuntime = {
    clock: {nowMs: () => nowMs, sleepUntil: async () => {}},
    blobs: new DirectoryBlobStore(directory),
    publisher: {
      publish: async (topic, body) => {
        published.push({topic, body});
        return String(published.length);
      },
    },
    callbacks: {send: async (url, body) => {
      replies.push({url, body});
    }},
    logger,
  };
  return {runtime, published, replies, logger};
}
