import type {CallbackSender} from '../../shared/ports/callback-sender.js';

/**
 * The callback port with its HTTP client (axios, through
 * HttpCallbackSender) loaded on the first reply, so an event that sends
 * no reply never pays for it. A failed load is tried again on the next
 * reply.
 *
 * @param getAccessToken - the bearer token for each reply, as for
 *   HttpCallbackSender
 */
export function lazyCallbackSender(
  getAccessToken: () => Promise<string>,
): CallbackSender {
  let loaded: Promise<CallbackSender> | undefined;
  return {
    async send(callbackUrl, body) {
      loaded ??= import('../function-runtime/http-callback-sender.js').then(
        ({HttpCallbackSender}) => new HttpCallbackSender(getAccessToken));
      let sender: CallbackSender;
      try {
        sender = await loaded;
      } catch (error) {
        loaded = undefined;
        throw error;
      }
      return sender.send(callbackUrl, body);
    },
  };
}
