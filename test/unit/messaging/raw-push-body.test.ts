import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CloudEvent} from '@google-cloud/functions-framework';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {createIngestJob} from '../../../functions/ingest-job/handler.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

describe('a job request with empty data', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'empty-push-'));
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  it('is rejected with its message id, not retried', async () => {
    const published: {topic: string; body: unknown;
      attributes?: Record<string, string>}[] = [];
    const handler = createIngestJob({
      clock: {nowMs: () => Date.parse('2022-06-14T00:00:00Z'),
        sleepUntil: async () => {}},
      blobs: new DirectoryBlobStore(path.join(directory, 'blobs')),
      intake: new DirectoryBlobStore(path.join(directory, 'intake')),
      // Recording publisher and starter: the emulator path is covered by
      // the integration tests.
      publisher: {publish: async (topic, body, attributes) => {
        published.push({topic, body, attributes});
        return String(published.length);
      }},
      lifecycle: {start: async () => {
        throw new Error('must not start');
      }},
      ledger: {append: async () => {
        throw new Error('must not write the ledger');
      }},
      logger: createMemoryLogger(),
      projectId: 'demo',
      pollSeconds: 1800,
    });

    // What functions-framework hands over for a push without data.
    const rawPushBody = {
      message: {attributes: {corpusFile: 'empty'}, messageId: '7702',
        publishTime: '2022-06-14T00:00:00Z'},
      subscription: 'projects/demo/subscriptions/job-requests--ingest-job',
    } as unknown as CloudEvent<MessagePublishedData>;
    await handler(rawPushBody);

    assert.equal(published.length, 1);
    assert.equal(published[0]!.topic, 'job-rejected');
    assert.equal(published[0]!.attributes?.sourceMessageId, '7702');
    const reasons = (published[0]!.body as {
      reasons: {field: string; problem: string}[]}).reasons;
    assert.equal(reasons[0]!.field, '(document)');
    assert.match(reasons[0]!.problem, /is empty/);
  });
});
