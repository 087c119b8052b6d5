import type {CloudEvent} from '@google-cloud/functions-framework';
import axios, {type AxiosInstance, isAxiosError} from 'axios';
import {
  decodePubSubEvent,
  type MessagePublishedData,
} from '../../adapters/function-runtime/pubsub-event.js';
import type {Logger} from '../../shared/ports/logger.js';

/**
 * An example subscriber for `job-events`: each transition of a job
 * (accepted, failed, a command accepted or rejected, ...) becomes one
 * chat message, POSTed as `{"text": ...}` to an incoming webhook (Google
 * Chat, Slack and Mattermost all take that shape). Nothing subscribes it
 * by default; docs/notifications.md says how to turn it on.
 */

/** How the notifier is set up. */
export interface ChatNotifierOptions {
  /** The incoming webhook's URL; it holds a secret, never log it. */
  readonly webhookUrl: string;
  readonly logger: Logger;
  /** Only these events are sent; all when absent. */
  readonly events?: readonly string[];
  /** How long one POST may take. Ten seconds by default. */
  readonly timeoutMs?: number;
  /** The HTTP client; a fresh axios instance by default. */
  readonly client?: AxiosInstance;
}

/** The text of one job event, in one line. */
export function chatText(body: Record<string, unknown>): string {
  const jobId = String(body.jobId ?? 'unknown job');
  const event = String(body.event ?? body.type ?? body.step ?? 'event');
  const at = typeof body.atMs === 'number'
    ? new Date(body.atMs).toISOString()
    : typeof body.sentAt === 'string' ? body.sentAt : null;
  const details: string[] = [];
  if (typeof body.command === 'string') details.push(body.command);
  if (typeof body.commandId === 'string') {
    details.push(`command ${body.commandId}`);
  }
  const payload = body.payload as {reason?: unknown} | undefined;
  if (typeof payload?.reason === 'string') details.push(payload.reason);
  if (Array.isArray(body.reasons)) {
    details.push(...body.reasons.map((reason) =>
      String((reason as {problem?: unknown}).problem ?? reason)));
  }
  const requester = (body.requestedBy as {identity?: unknown} | undefined)
    ?.identity;
  if (typeof requester === 'string') details.push(`by ${requester}`);
  return `[${jobId}] ${event}` + (at ? ` at ${at}` : '') +
    (details.length ? `: ${details.join('; ')}` : '');
}

/**
 * The CloudEvent handler. A webhook that is down or answers 5xx or 429
 * throws, so Pub/Sub redelivers; any other refusal is logged and the
 * event is dropped (a bad URL does not heal by retrying).
 */
export function createChatNotifier(options: ChatNotifierOptions) {
  const client = options.client ?? axios.create();
  const wanted = options.events ? new Set(options.events) : undefined;
  return async (event: CloudEvent<MessagePublishedData>): Promise<void> => {
    const message = decodePubSubEvent(event);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(message.text) as Record<string, unknown>;
    } catch {
      options.logger.log('WARNING', 'job event is not JSON; not sent',
        {messageId: message.messageId});
      return;
    }
    const name = String(body.event ?? body.type ?? body.step ?? '');
    if (wanted && !wanted.has(name)) return;

    try {
      await client.post(options.webhookUrl, {text: chatText(body)}, {
        timeout: options.timeoutMs ?? 10_000,
        headers: {'Content-Type': 'application/json; charset=UTF-8'},
      });
    } catch (error) {
      const status = isAxiosError(error) ? error.response?.status : undefined;
      const retryable = status === undefined || status >= 500 ||
        status === 429;
      options.logger.log(retryable ? 'WARNING' : 'ERROR',
        retryable ? 'chat webhook unavailable; will be redelivered'
          : 'chat webhook refused the event; dropped',
        {messageId: message.messageId, jobId: body.jobId, event: name,
          status: status ?? null});
      if (retryable) throw new Error(`chat webhook unavailable (${
        status ?? (error as Error).message})`);
    }
  };
}
