import type {CloudEvent} from '@google-cloud/functions-framework';
import type {MessagePublishedData} from
  '../function-runtime/pubsub-event.js';

/** A Pub/Sub CloudEvent handler. */
export type PubSubEventHandler = (
  event: CloudEvent<MessagePublishedData>,
) => Promise<void>;

/**
 * A handler built on the first event, not at module load, so an instance
 * starts serving at once and loads only what its function uses. A build
 * that fails throws (the message is redelivered) and is tried again on
 * the next event.
 */
export function lazyHandler(
  build: () => Promise<PubSubEventHandler>,
): PubSubEventHandler {
  let handler: Promise<PubSubEventHandler> | undefined;
  return async (event) => {
    handler ??= build();
    let ready: PubSubEventHandler;
    try {
      ready = await handler;
    } catch (error) {
      handler = undefined;
      throw error;
    }
    await ready(event);
  };
}
