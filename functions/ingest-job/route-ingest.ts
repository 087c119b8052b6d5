import type {CloudEvent} from '@google-cloud/functions-framework';

import {topicOfEvent} from '../../adapters/function-runtime/event-topic.js';
import type {MessagePublishedData} from
  '../../adapters/function-runtime/pubsub-event.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;

/**
 * ingest-job's one entry point for its three topics: operator commands
 * from `job-commands` go to the command handler; job requests and intake
 * uploads to the intake handler.
 */
export function routeIngestJob(intake: Handler, commands: Handler): Handler {
  return (event) =>
    topicOfEvent(event) === 'job-commands' ? commands(event) : intake(event);
}
