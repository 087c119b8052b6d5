import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {
  createEnvelope,
  envelopeAttributes,
  type EnvelopeStep,
} from '../../../shared/messaging/envelope.js';
import {
  messageAttributesSchema,
  TOPIC_SCHEMAS,
} from '../../../shared/messaging/topic-schemas.js';
import {TOPICS, type TopicName} from '../../../shared/messaging/topics.js';

const NOW_MS = Date.parse('2022-06-14T00:00:00Z');

// What the lifecycle workflow sends on each envelope topic.
const SENT: [TopicName, EnvelopeStep, Record<string, unknown>][] = [
  ['plan-requests', 'plan', {}],
  ['forecasts-ready', 'plan', {forecastsPointer: 'jobs/j-7/forecasts/1'}],
  ['launch-requests', 'launch', {segmentIndex: 0}],
  ['monitor-requests', 'monitor',
    {trainingJobName: 'segment-0', segmentIndex: 0}],
  ['pause-requests', 'pause', {trainingJobName: 'segment-0', segmentIndex: 0}],
  ['resume-requests', 'resume', {segmentIndex: 1, checkpointStep: 24}],
  ['footprint-requests', 'footprint', {}],
];

describe('one schema per topic', () => {
  it('has a schema for every topic of the design', () => {
    assert.deepEqual(Object.keys(TOPIC_SCHEMAS).sort(), [...TOPICS].sort());
  });

  for (const [topic, step, payload] of SENT) {
    it(`accepts the ${step} envelope the workflow sends on ${topic}`, () => {
      const envelope = createEnvelope({jobId: 'j-7', step, sequence: 2,
        sentAtMs: NOW_MS, payload});
      assert.equal(TOPIC_SCHEMAS[topic].safeParse(envelope).success, true);
    });
  }

  it('refuses a launch envelope on the monitor topic', () => {
    const launch = createEnvelope({jobId: 'j-7', step: 'launch', sequence: 2,
      sentAtMs: NOW_MS, payload: {segmentIndex: 0}});
    const parsed = TOPIC_SCHEMAS['monitor-requests'].safeParse(launch);
    assert.equal(parsed.success, false);
  });

  it('accepts the shipped example on job-requests', async () => {
    const job = JSON.parse(
      await readFile('examples/jobs/fine-tune-h100.json', 'utf8'));
    assert.equal(TOPIC_SCHEMAS['job-requests'].safeParse(job).success, true);
  });

  it('sends envelope attributes as strings (C22)', () => {
    const envelope = createEnvelope({jobId: 'j-42', step: 'launch',
      sequence: 8, sentAtMs: NOW_MS, payload: {segmentIndex: 0}});
    const attributes = envelopeAttributes(envelope);
    assert.deepEqual(attributes, {jobId: 'j-42', step: 'launch',
      requestId: 'j-42:launch:8', schemaVersion: '2'});
    assert.equal(messageAttributesSchema.safeParse(attributes).success, true);
  });

  it('refuses a numeric attribute, naming it (C22)', () => {
    const parsed = messageAttributesSchema.safeParse({gpuCount: 8});
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error!.issues[0]!.path, ['gpuCount']);
  });
});
