/**
 * The Pub/Sub topics of the design. Each subscription that pushes to a
 * function has a dead-letter topic and a maximum delivery count.
 */
export const TOPICS = [
  'job-requests',
  'job-uploads',
  'job-rejected',
  'plan-requests',
  'forecasts-ready',
  'launch-requests',
  'monitor-requests',
  'pause-requests',
  'resume-requests',
  'footprint-requests',
  'job-commands',
  'job-events',
  'intensity-polls',
  'dead-letters',
] as const;
export type TopicName = (typeof TOPICS)[number];

/** Lifecycle steps that travel as request envelopes. */
export const STEPS = [
  'plan',
  'launch',
  'monitor',
  'pause',
  'resume',
  'footprint',
] as const;
export type StepName = (typeof STEPS)[number];
