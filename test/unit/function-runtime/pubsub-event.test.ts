import assert from 'node:assert/strict';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  decodePubSubEvent,
  parseJsonMessage,
  type MessagePublishedData,
} from '../../../adapters/function-runtime/pubsub-event.js';
import {PubSubPublisher} from '../../../adapters/pubsub/pubsub-publisher.js';

// The structured CloudEvent of case C22.
const C22_EVENT = {
  specversion: '1.0',
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: '//pubsub.googleapis.com/projects/demo/topics/carbon-jobs',
  id: '7701',
  time: '2025-01-15T10:00:00.000Z',
  data: {
    message: {
      data: 'eyJqb2JJZCI6ImotNDIiLCJhY3Rpb24iOiJzdWJtaXQiLCJkZWFkbGluZSI6' +
        'IjIwMjUtMDEtMTZUMDY6MDA6MDBaIn0=',
      attributes: {gpuCount: '8', priority: '2'},
      messageId: '7701',
      message_id: '7701',
      publishTime: '2025-01-15T10:00:00.000Z',
      publish_time: '2025-01-15T10:00:00.000Z',
    },
    subscription: 'projects/demo/subscriptions/eventarc-sub',
  },
} as unknown as CloudEvent<MessagePublishedData>;

describe('Pub/Sub CloudEvent decoding', () => {
  it('decodes base64 data and keeps attributes as strings (C22)', () => {
    const message = decodePubSubEvent(C22_EVENT);
    assert.deepEqual(parseJsonMessage(message), {
      jobId: 'j-42', action: 'submit', deadline: '2025-01-16T06:00:00Z'});
    assert.equal(message.messageId, '7701');
    assert.equal(message.attributes.gpuCount, '8');
    assert.equal(Number(message.attributes.gpuCount), 8);
  });

  it('refuses numeric attributes before calling the client (C22)', async () => {
    // No client call happens: validation fails first.
    const publisher = new PubSubPublisher({} as never);
    await assert.rejects(
      publisher.publish('job-requests', {jobId: 'j-43'},
        {gpuCount: 8 as unknown as string}),
      /attribute "gpuCount" must be a string/);
  });
});
