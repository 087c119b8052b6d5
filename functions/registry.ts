import type {TopicName} from '../shared/messaging/topics.js';

/** One Cloud Function of the design and the topics that trigger it. */
export interface FunctionDefinition {
  /** The folder under functions/ and the deployed function's name. */
  readonly name: string;
  /** The name registered with functions-framework (the entry point). */
  readonly entryPoint: string;
  /** Topics whose push subscriptions deliver to this function. */
  readonly topics: readonly TopicName[];
}

/** The eight functions, in lifecycle order. */
export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'ingest-job',
    entryPoint: 'ingestJob',
    topics: ['job-requests', 'job-uploads', 'job-commands'],
  },
  {
    name: 'fetch-forecasts',
    entryPoint: 'fetchForecasts',
    topics: ['plan-requests', 'intensity-polls'],
  },
  {
    name: 'optimize-slot',
    entryPoint: 'optimizeSlot',
    topics: ['forecasts-ready'],
  },
  {
    name: 'launch-training',
    entryPoint: 'launchTraining',
    topics: ['launch-requests'],
  },
  {
    name: 'monitor-intensity',
    entryPoint: 'monitorIntensity',
    topics: ['monitor-requests'],
  },
  {
    name: 'checkpoint-pause',
    entryPoint: 'checkpointPause',
    topics: ['pause-requests'],
  },
  {name: 'resume', entryPoint: 'resume', topics: ['resume-requests']},
  {
    name: 'record-footprint',
    entryPoint: 'recordFootprint',
    topics: ['footprint-requests'],
  },
];

/** Topics read by no function, kept on pull subscriptions for audit. */
export const AUDITED_TOPICS: readonly TopicName[] = [
  'job-rejected',
  'job-events',
  'dead-letters',
];

/** Delivery tries before a message goes to the dead-letter topic. */
export const MAX_DELIVERY_ATTEMPTS = 5;
