import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {
  commandKey,
  listCommands,
  markApplied,
  pendingCommands,
  recordCommand,
  type JobCommandRecord,
} from '../../../shared/jobs/job-command-store.js';
import type {JobCommandName} from '../../../shared/jobs/job-command.js';

function record(
  commandId: string,
  command: JobCommandName,
  receivedAtMs: number,
): JobCommandRecord {
  return {
    command: {schemaVersion: 1, commandId, jobId: 'job-a', command},
    requestedBy: {identity: 'ops', source: 'message-attribute', origin: null,
      verified: false},
    messageId: `message-${commandId}`,
    receivedAtMs,
    status: 'pending',
    acknowledged: false,
  };
}

describe('the job command store', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'commands-'));
    blobs = new DirectoryBlobStore(directory);
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  it('keeps each command under its job by command id', async () => {
    await recordCommand(blobs, record('c1', 'pause', 10));
    assert.deepEqual(await blobs.list('jobs/'), [commandKey('job-a', 'c1')]);
    assert.equal(commandKey('job-a', 'c1'), 'jobs/job-a/commands/c1.json');
  });

  it('changes nothing when the same command id arrives twice', async () => {
    const first = await recordCommand(blobs, record('c1', 'pause', 10));
    const second = await recordCommand(blobs,
      {...record('c1', 'cancel', 99), messageId: 'other'});
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.record.command.command, 'pause');
    assert.equal(second.record.messageId, 'message-c1');
    assert.equal((await listCommands(blobs, 'job-a')).length, 1);
  });

  it('lists pending commands oldest first and drops applied ones',
    async () => {
      await recordCommand(blobs, record('late', 'resume', 30));
      await recordCommand(blobs, record('early', 'pause', 10));
      await recordCommand(blobs, {...record('refused', 'extend', 5),
        status: 'rejected'});
      assert.deepEqual((await pendingCommands(blobs, 'job-a'))
        .map((r) => r.command.commandId), ['early', 'late']);
      await markApplied(blobs, 'job-a', 'early',
        {atMs: 40, outcome: 'applied', reason: 'hold until resume'});
      assert.deepEqual((await pendingCommands(blobs, 'job-a'))
        .map((r) => r.command.commandId), ['late']);
      const all = await listCommands(blobs, 'job-a');
      assert.equal(all.find((r) => r.command.commandId === 'early')
        ?.application?.reason, 'hold until resume');
    });

  it('refuses to mark a command nobody recorded', async () => {
    await assert.rejects(markApplied(blobs, 'job-a', 'ghost',
      {atMs: 1, outcome: 'applied', reason: 'x'}), /not recorded/);
  });
});
