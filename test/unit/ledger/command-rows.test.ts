import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import type {JobCommandRecord} from
  '../../../shared/jobs/job-command-store.js';
import {
  commandInsertId,
  toAppliedCommandRow,
  toRecordedCommandRow,
} from '../../../shared/ledger/command-rows.js';
import {checkLedgerRows} from '../../../shared/ledger/row-check.js';

const RECEIVED_MS = Date.parse('2022-06-14T06:00:00Z');

function extendRecord(
  overrides: Partial<JobCommandRecord> = {},
): JobCommandRecord {
  return {
    command: {schemaVersion: 1, commandId: 'c-1', jobId: 'job-a',
      command: 'extend', deadline: '2022-06-18T00:00:00Z',
      sentAt: '2022-06-14T05:59:58Z'},
    requestedBy: {identity: 'ops@example.com', source: 'message-attribute',
      origin: 'gcloud-account', verified: false},
    messageId: 'm-1',
    receivedAtMs: RECEIVED_MS,
    status: 'pending',
    acknowledged: false,
    ...overrides,
  };
}

const context = {projectId: 'demo-research', recordedAtMs: RECEIVED_MS};

describe('command ledger rows', () => {
  it('builds the same insert id for the same command and state', () => {
    const first = toRecordedCommandRow(extendRecord(), context);
    const again = toRecordedCommandRow(extendRecord({messageId: 'm-2'}),
      {...context, recordedAtMs: RECEIVED_MS + 5_000});
    assert.equal(first.insert_id, 'job-a:command:c-1:accepted');
    assert.equal(again.insert_id, first.insert_id);
    assert.notEqual(commandInsertId('job-a', 'c-1', 'applied'),
      first.insert_id);
    assert.notEqual(commandInsertId('job-b', 'c-1', 'accepted'),
      first.insert_id);
  });

  it('keeps who asked, where it was read and the arguments', () => {
    const row = toRecordedCommandRow(extendRecord(), context);
    checkLedgerRows('commands', [row]);
    assert.equal(row.state, 'accepted');
    assert.equal(row.command, 'extend');
    assert.deepEqual(row.arguments, {deadline: '2022-06-18T00:00:00Z'});
    assert.equal(row.requested_by, 'ops@example.com');
    assert.equal(row.requested_by_source, 'message-attribute');
    assert.equal(row.requested_by_origin, 'gcloud-account');
    assert.equal(row.requested_by_verified, false);
    assert.equal(row.received_at, '2022-06-14T06:00:00.000Z');
    assert.equal(row.sent_at, '2022-06-14T05:59:58Z');
    assert.equal(row.project_id, 'demo-research');
  });

  it('records a rejection with its reasons and nobody named as null',
    () => {
      const row = toRecordedCommandRow(extendRecord({
        command: {schemaVersion: 1, commandId: 'c-2', jobId: 'job-x',
          command: 'cancel'},
        requestedBy: {identity: null, source: null, origin: null,
          verified: false},
        status: 'rejected',
        rejectionReasons: [{field: 'jobId', problem: 'no job "job-x"'}],
      }), {projectId: null, recordedAtMs: RECEIVED_MS});
      checkLedgerRows('commands', [row]);
      assert.equal(row.state, 'rejected');
      assert.deepEqual(row.arguments, {});
      assert.equal(row.requested_by, null);
      assert.equal(row.project_id, null);
      assert.deepEqual(row.rejection_reasons,
        [{field: 'jobId', problem: 'no job "job-x"'}]);
    });

  it('records what the lifecycle did as a second, applied row', () => {
    const row = toAppliedCommandRow(extendRecord(), {
      atMs: RECEIVED_MS + 60_000, outcome: 'applied',
      reason: 'deadline moved to 2022-06-18T00:00:00.000Z'}, 'waiting',
    context);
    checkLedgerRows('commands', [row]);
    assert.equal(row.insert_id, 'job-a:command:c-1:applied');
    assert.equal(row.state, 'applied');
    assert.equal(row.applied_at, '2022-06-14T06:01:00.000Z');
    assert.equal(row.decision_point, 'waiting');
    assert.equal(row.application_outcome, 'applied');
    assert.equal(row.requested_by, 'ops@example.com');
  });

  describe('in the file ledger', () => {
    let ledgerDirectory: string;
    beforeEach(async () => {
      ledgerDirectory = await mkdtemp(path.join(tmpdir(), 'command-rows-'));
    });
    afterEach(() => rm(ledgerDirectory, {recursive: true, force: true}));

    it('reads back a command written twice once per state', async () => {
      const ledger = new FileLedger({ledgerDirectory});
      const recorded = toRecordedCommandRow(extendRecord(), context);
      await ledger.append('commands', [recorded]);
      await ledger.append('commands', [{...recorded,
        recorded_at: '2022-06-14T06:00:10.000Z'}]);
      await ledger.append('commands', [toAppliedCommandRow(extendRecord(),
        {atMs: RECEIVED_MS + 60_000, outcome: 'applied', reason: 'moved'},
        'running', context)]);

      const rows = await ledger.query(`
        SELECT state, requested_by, requested_by_source,
          json_extract_string(arguments, '$.deadline') AS deadline,
          received_at, application_outcome
        FROM commands
        QUALIFY ROW_NUMBER() OVER (PARTITION BY job_id, command_id, state
          ORDER BY recorded_at DESC) = 1
        ORDER BY state`);
      assert.deepEqual(rows.map((row) => row['state']),
        ['accepted', 'applied']);
      assert.equal(rows[0]?.['requested_by'], 'ops@example.com');
      assert.equal(rows[0]?.['requested_by_source'], 'message-attribute');
      assert.equal(rows[0]?.['deadline'], '2022-06-18T00:00:00Z');
      assert.equal((rows[0]?.['received_at'] as Date).toISOString(),
        '2022-06-14T06:00:00.000Z');
      assert.equal(rows[1]?.['application_outcome'], 'applied');
      const [count] = await ledger.query(
        'SELECT COUNT(*) AS n FROM commands');
      assert.equal(count?.['n'], 3, 'the file ledger keeps every write');
    });
  });
});
