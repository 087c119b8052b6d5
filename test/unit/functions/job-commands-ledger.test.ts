import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CloudEvent} from '@google-cloud/functions-framework';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {
  ACKNOWLEDGEMENT_LEASE_MS,
  createJobCommandsHandler,
} from '../../../functions/ingest-job/job-commands.js';
import {listCommands} from '../../../shared/jobs/job-command-store.js';
import {jobKeys, writeSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {checkLedgerRows} from '../../../shared/ledger/row-check.js';
import type {LedgerTableName} from '../../../shared/ledger/schema.js';
import type {LedgerWriter} from '../../../shared/ports/ledger-writer.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

const START_MS = Date.parse('2022-06-14T06:00:00Z');

// A ledger stand-in that keeps the rows, and can fail its next appends.
class LedgerStandIn implements LedgerWriter {
  readonly rows: Record<string, unknown>[] = [];
  failuresLeft = 0;

  async append(
    table: LedgerTableName,
    rows: readonly Record<string, unknown>[],
  ): Promise<void> {
    checkLedgerRows(table, rows);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('ledger unavailable');
    }
    this.rows.push(...rows.map((row) => ({table, ...row})));
  }

  // One row per insert id, as the readers de-duplicate.
  distinctInsertIds(): string[] {
    return [...new Set(this.rows.map((row) => String(row.insert_id)))];
  }
}

function commandEvent(
  messageId: string,
  body: Record<string, unknown>,
  attributes: Record<string, string> = {},
): CloudEvent<MessagePublishedData> {
  return {
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/demo/topics/job-commands',
    id: messageId,
    data: {
      message: {
        data: Buffer.from(JSON.stringify(body)).toString('base64'),
        attributes,
        messageId,
      },
      subscription: 'projects/demo/subscriptions/job-commands--ingest-job',
    },
  } as unknown as CloudEvent<MessagePublishedData>;
}

describe('job commands in the ledger (ledger stand-in)', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;
  let ledger: LedgerStandIn;
  let nowMs: number;
  let handler: ReturnType<typeof createJobCommandsHandler>;
  const published: {topic: string; body: unknown}[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'commands-ledger-'));
    blobs = new DirectoryBlobStore(directory);
    ledger = new LedgerStandIn();
    nowMs = START_MS;
    published.length = 0;
    handler = createJobCommandsHandler({
      clock: {nowMs: () => nowMs, sleepUntil: async () => {}},
      blobs,
      ledger,
      logger: createMemoryLogger(),
      publisher: {
        async publish(topic, body) {
          published.push({topic, body});
          return String(published.length);
        },
      },
    });
    await blobs.write(jobKeys.request('job-a'), JSON.stringify({
      jobId: 'job-a', project: 'demo-research',
      constraints: {deadline: '2022-06-16T00:00:00Z'}}));
    await writeSnapshot(blobs, {jobId: 'job-a', state: 'running',
      submittedAtMs: START_MS, updatedAtMs: START_MS, lastSequence: 3,
      segments: [], decisions: []});
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  const pause = {schemaVersion: 1, commandId: 'c-1', jobId: 'job-a',
    command: 'pause'};

  it('writes one row with who asked when a command is delivered twice',
    async () => {
      await handler(commandEvent('m-1', pause,
        {requestedBy: 'ops@example.com', requestedByOrigin: 'option'}));
      await handler(commandEvent('m-2', pause));

      assert.equal(ledger.rows.length, 1);
      const [row] = ledger.rows;
      assert.equal(row?.table, 'commands');
      assert.equal(row?.insert_id, 'job-a:command:c-1:accepted');
      assert.equal(row?.state, 'accepted');
      assert.equal(row?.requested_by, 'ops@example.com');
      assert.equal(row?.requested_by_source, 'message-attribute');
      assert.equal(row?.requested_by_origin, 'option');
      assert.equal(row?.project_id, 'demo-research');
      assert.equal(row?.message_id, 'm-1');
    });

  it('records a rejected command with its reasons', async () => {
    await handler(commandEvent('m-1', {...pause, jobId: 'job-nobody'}));
    const [row] = ledger.rows;
    assert.equal(row?.state, 'rejected');
    assert.equal(row?.project_id, null);
    assert.match(JSON.stringify(row?.rejection_reasons), /no job/);
  });

  it('writes the row on redelivery when the first delivery failed at it',
    async () => {
      ledger.failuresLeft = 1;
      await assert.rejects(handler(commandEvent('m-1', pause)),
        /ledger unavailable/);
      assert.equal(published.length, 0, 'no acknowledgement before the row');

      nowMs += 10_000;
      await handler(commandEvent('m-1', pause));
      assert.deepEqual(ledger.distinctInsertIds(),
        ['job-a:command:c-1:accepted']);
      assert.equal(published.length, 0, 'the lease still holds the ack');

      nowMs += ACKNOWLEDGEMENT_LEASE_MS;
      await handler(commandEvent('m-1', pause));
      assert.deepEqual(ledger.distinctInsertIds(),
        ['job-a:command:c-1:accepted']);
      assert.equal(published.length, 1);
      const [record] = await listCommands(blobs, 'job-a');
      assert.equal(record?.acknowledged, true);
    });
});
