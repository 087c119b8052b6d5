import {cloudEvent} from '@google-cloud/functions-framework';
import {createJsonLogger} from '../../shared/ports/logger.js';
import {createChatNotifier} from './chat-webhook-notifier.js';

/**
 * Entry point `notifyChat` for Cloud Run functions. Off unless
 * CHAT_WEBHOOK_URL is set (mount it from Secret Manager); NOTIFY_EVENTS
 * is an optional comma-separated list of events to send.
 */
const webhookUrl = process.env.CHAT_WEBHOOK_URL;
const logger = createJsonLogger('notify-chat');
if (webhookUrl) {
  const events = process.env.NOTIFY_EVENTS?.split(',')
    .map((name) => name.trim()).filter(Boolean);
  cloudEvent('notifyChat', createChatNotifier({
    webhookUrl, logger, ...(events?.length ? {events} : {}),
  }));
} else {
  logger.log('NOTICE', 'chat notifications off: CHAT_WEBHOOK_URL is unset');
}
