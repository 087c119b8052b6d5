import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  waitForAuditedMessage,
  type AuditedMessage,
} from '../../../adapters/local/audit-reader.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {TrackedPublisher} from '../../../adapters/local/tracked-publisher.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {
  ensureTopology,
  pushPath,
} from '../../../adapters/pubsub/topology.js';
import {createJobCommandsHandler} from
  '../../../functions/ingest-job/job-commands.js';
import {listCommands} from '../../../shared/jobs/job-command-store.js';
import {
  jobKeys,
  writeSnapshot,
  type JobState,
} from '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {runCommand} from '../../integration/cli/run-command.js';
import {useEmulator} from '../../support/emulator.js';

const START_MS = Date.parse('2022-06-14T06:00:00Z');
const DEADLINE = '2022-06-16T00:00:00Z';

describe('job commands on the Pub/Sub emulator', function () {
  this.timeout(60_000);
  const {pubsub, projectId} = useEmulator('commands');
  const logger = createMemoryLogger();
  let directory: string;
  let clock: VirtualClock;
  let publisher: TrackedPublisher;
  let host: FunctionHost;
  let blobs: DirectoryBlobStore;
  let ledger: FileLedger;

  // The command's rows in the file ledger, one per state.
  async function ledgerRows(commandId: string) {
    return ledger.query(`
      SELECT state, job_id, project_id, command, requested_by,
        requested_by_source, requested_by_origin, requested_by_verified,
        json_extract_string(arguments, '$.deadline') AS deadline,
        rejection_reasons
      FROM commands WHERE command_id = $commandId
      QUALIFY ROW_NUMBER() OVER (PARTITION BY job_id, command_id, state
        ORDER BY recorded_at DESC) = 1
      ORDER BY state`, {commandId});
  }

  async function addJob(jobId: string, state: JobState): Promise<void> {
    await blobs.write(jobKeys.request(jobId), JSON.stringify({
      jobId, project: 'demo-research', constraints: {deadline: DEADLINE}}));
    await writeSnapshot(blobs, {jobId, state, submittedAtMs: START_MS,
      updatedAtMs: START_MS, lastSequence: 3, segments: [], decisions: []});
  }

  function eventFor(commandId: string): Promise<AuditedMessage> {
    return waitForAuditedMessage(pubsub(), 'job-events',
      (message) => message.attributes.commandId === commandId);
  }

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'job-commands-'));
    clock = new VirtualClock(START_MS);
    publisher = new TrackedPublisher(pubsub(), clock,
      new Set(['job-commands']));
    host = new FunctionHost((id) => publisher.settle(id));
    blobs = new DirectoryBlobStore(path.join(directory, 'blobs'));
    ledger = new FileLedger({ledgerDirectory: path.join(directory,
      'ledger')});
    const hosted = await host.serve('job-commands', 'jobCommands',
      createJobCommandsHandler({clock, blobs, publisher, ledger, logger}));
    await ensureTopology(pubsub(), {});
    await pubsub().topic('job-commands').createSubscription(
      'job-commands--ingest-job', {pushConfig: {pushEndpoint:
        hosted.baseUrl + pushPath(projectId(), 'job-commands')}});
    await addJob('job-running', 'running');
    await addJob('job-waiting', 'planned');
    await addJob('job-done', 'completed');
  });

  after(async () => {
    await host.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('records and acknowledges a command once when delivered twice',
    async () => {
      const commandId = randomUUID();
      const message = {schemaVersion: 1, commandId, jobId: 'job-running',
        command: 'pause'};
      const acknowledged = eventFor(commandId);
      const attributes = {requestedBy: 'ops@example.com',
        requestedByOrigin: 'option'};
      await publisher.publish('job-commands', message, attributes);
      await publisher.publish('job-commands', message, attributes);
      await clock.run(() => publisher.inFlightCount() === 0);

      const event = await acknowledged;
      assert.equal((event.body as {type: string}).type, 'command-accepted');
      const records = (await listCommands(blobs, 'job-running'))
        .filter((r) => r.command.commandId === commandId);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.status, 'pending');
      assert.equal(records[0]?.acknowledged, true);
      const said = (text: string) => logger.entries.filter((entry) =>
        entry.message === text &&
        (entry.fields as {commandId?: string}).commandId === commandId);
      assert.equal(said('job command accepted').length, 1);
      assert.equal(said('duplicate job command ignored').length, 1);
      const rows = await ledgerRows(commandId);
      assert.equal(rows.length, 1, 'one ledger row for two deliveries');
      assert.equal(rows[0]?.['state'], 'accepted');
      assert.equal(rows[0]?.['requested_by'], 'ops@example.com');
      assert.equal(rows[0]?.['requested_by_source'], 'message-attribute');
    });

  it('publishes a command from the CLI with who asked', async () => {
    const commandId = randomUUID();
    const acknowledged = eventFor(commandId);
    const run = await runCommand(['jobs', 'cancel', 'job-running',
      '--project', projectId(), '--command-id', commandId,
      '--requested-by', 'ops@example.com', '--json']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).commandId, commandId);

    const body = (await acknowledged).body as Record<string, unknown>;
    assert.equal(body.type, 'command-accepted');
    assert.equal(body.command, 'cancel');
    assert.deepEqual(body.requestedBy, {identity: 'ops@example.com',
      source: 'message-attribute', origin: 'option', verified: false});
    const [record] = (await listCommands(blobs, 'job-running'))
      .filter((r) => r.command.commandId === commandId);
    assert.equal(record?.requestedBy.identity, 'ops@example.com');
    const [row] = await ledgerRows(commandId);
    assert.deepEqual(row && {
      state: row['state'], jobId: row['job_id'], project: row['project_id'],
      command: row['command'], requestedBy: row['requested_by'],
      source: row['requested_by_source'],
      origin: row['requested_by_origin'],
      verified: row['requested_by_verified'],
    }, {state: 'accepted', jobId: 'job-running', project: 'demo-research',
      command: 'cancel', requestedBy: 'ops@example.com',
      source: 'message-attribute', origin: 'option', verified: false});
  });

  it('accepts a later deadline from `jobs extend`', async () => {
    const commandId = randomUUID();
    const acknowledged = eventFor(commandId);
    const run = await runCommand(['jobs', 'extend', 'job-waiting',
      '--deadline', '2022-06-18T00:00:00Z', '--project', projectId(),
      '--command-id', commandId]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`command ${commandId}: extend`));
    const body = (await acknowledged).body as Record<string, unknown>;
    assert.equal(body.type, 'command-accepted');
    assert.equal(body.deadline, '2022-06-18T00:00:00Z');
    const [row] = await ledgerRows(commandId);
    assert.equal(row?.['command'], 'extend');
    assert.equal(row?.['deadline'], '2022-06-18T00:00:00Z');
  });

  for (const scenario of [
    {name: 'an unknown job', jobId: 'job-nobody', command: 'run-now',
      field: 'jobId', problem: /no job "job-nobody"/},
    {name: 'a finished job', jobId: 'job-done', command: 'resume',
      field: 'jobId', problem: /already completed/},
    {name: 'an earlier deadline', jobId: 'job-running', command: 'extend',
      deadline: '2022-06-15T00:00:00Z', field: 'deadline',
      problem: /not later than the deadline in force/},
  ]) {
    it(`rejects a command for ${scenario.name} with the reason`,
      async () => {
        const commandId = randomUUID();
        const acknowledged = eventFor(commandId);
        await publisher.publish('job-commands', {schemaVersion: 1, commandId,
          jobId: scenario.jobId, command: scenario.command,
          ...(scenario.deadline ? {deadline: scenario.deadline} : {})});
        await clock.run(() => publisher.inFlightCount() === 0);
        const body = (await acknowledged).body as {type: string;
          reasons: {field: string; problem: string}[]};
        assert.equal(body.type, 'command-rejected');
        assert.equal(body.reasons[0]?.field, scenario.field);
        assert.match(body.reasons[0]!.problem, scenario.problem);
        const [row] = await ledgerRows(commandId);
        assert.equal(row?.['state'], 'rejected');
        const reasons = JSON.parse(String(row?.['rejection_reasons'])) as
          {field: string; problem: string}[];
        assert.equal(reasons[0]?.field, scenario.field);
        assert.match(reasons[0]!.problem, scenario.problem);
      });
  }

  it('keeps an invalid command on job-rejected naming the fields',
    async () => {
      const messageId = await publisher.publish('job-commands',
        {schemaVersion: 1, commandId: randomUUID(), jobId: 'job-running',
          command: 'extend'});
      await clock.run(() => publisher.inFlightCount() === 0);
      const rejected = await waitForAuditedMessage(pubsub(), 'job-rejected',
        (message) => message.attributes.sourceMessageId === messageId);
      const body = rejected.body as {reasons: {field: string}[]};
      assert.deepEqual(body.reasons.map((r) => r.field), ['deadline']);
    });

  it('refuses an extend without --deadline before publishing', async () => {
    const run = await runCommand(['jobs', 'extend', 'job-running',
      '--project', projectId()]);
    assert.notEqual(run.exitCode, 0);
    assert.match(run.stderr, /--deadline/);
  });

  it('refuses a deadline without an offset before publishing', async () => {
    const run = await runCommand(['jobs', 'extend', 'job-running',
      '--deadline', '2022-06-18T00:00:00', '--project', projectId()]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /^deadline: must be an RFC 3339/);
  });
});
