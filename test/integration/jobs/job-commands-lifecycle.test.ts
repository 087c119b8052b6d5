import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  runDemo,
  type DemoResult,
  type VirtualTimeAction,
} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {
  JOB_COMMAND_SCHEMA_VERSION,
  jobCommandAttributes,
  parseJobCommand,
  type JobCommandName,
} from '../../../shared/jobs/job-command.js';
import {listCommands} from '../../../shared/jobs/job-command-store.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';

const JOB_FILE = 'examples/jobs/fine-tune-h100.json';
const JOB_ID = 'fine-tune-llama-demo';
const DEADLINE_MS = Date.parse('2022-06-16T00:00:00Z');

// Publishes a command on job-commands at a virtual instant, as the CLI
// builds it; the clock stays held until ingest-job has recorded it.
function commandAt(
  instant: string,
  command: JobCommandName,
  commandId: string,
): VirtualTimeAction {
  return {
    atMs: Date.parse(instant),
    action: async (world) => {
      const parsed = parseJobCommand({
        schemaVersion: JOB_COMMAND_SCHEMA_VERSION,
        commandId,
        jobId: JOB_ID,
        command,
        requestedBy: 'operator@example.com',
        sentAt: new Date(world.clock.nowMs()).toISOString(),
      });
      assert.ok(parsed.ok);
      await world.publisher.publish('job-commands', parsed.command,
        jobCommandAttributes(parsed.command, 'option'));
    },
  };
}

describe('operator commands steer a running job (Pub/Sub emulator)',
  function () {
    this.timeout(300_000);
    let directory: string;

    async function demo(
      actions: readonly VirtualTimeAction[],
    ): Promise<DemoResult> {
      return runDemo({
        jobFile: JOB_FILE,
        nowMs: Date.parse(DEFAULT_DEMO_NOW),
        speed: 0,
        oracle: false,
        json: true,
        runDirectory: path.join(directory, randomUUID()),
        projectId: `commands-${randomUUID().slice(0, 8)}`,
        ...(process.env.TEST_PUBSUB_EMULATOR_HOST
          ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
          : {}),
        atVirtualTime: actions,
      });
    }

    const blobsOf = (result: DemoResult) => new DirectoryBlobStore(
      path.join(result.runDirectory, 'blobs'));

    // The run's command rows, one per command and state, in order.
    async function commandRowsOf(result: DemoResult) {
      const ledger = new FileLedger({ledgerDirectory:
        path.join(result.runDirectory, 'ledger')});
      const rows = await ledger.query(`
        SELECT command_id, state, decision_point, application_outcome,
          requested_by
        FROM commands
        QUALIFY ROW_NUMBER() OVER (PARTITION BY job_id, command_id, state
          ORDER BY recorded_at DESC) = 1
        ORDER BY received_at, state`);
      return rows.map((row) => [row['command_id'], row['state'],
        row['decision_point'], row['application_outcome'],
        row['requested_by']]);
    }

    before(async () => {
      directory = await mkdtemp(path.join(tmpdir(), 'job-commands-run-'));
      const job = JSON.parse(await readFile(JOB_FILE, 'utf8'));
      assert.equal(job.jobId, JOB_ID);
    });
    after(() => rm(directory, {recursive: true, force: true}));

    it('checkpoints and holds on pause, then resumes and meets the deadline',
      async () => {
        // The plan starts at 06:00; the monitor polls every 30 minutes.
        const result = await demo([
          commandAt('2022-06-14T07:10:00Z', 'pause', 'pause-1'),
          commandAt('2022-06-14T09:10:00Z', 'resume', 'resume-1'),
        ]);
        assert.equal(result.status, 'completed', result.error);
        assert.ok(Date.parse(result.virtualEnd) <= DEADLINE_MS,
          `ended ${result.virtualEnd}`);
        const held = result.pauseDetails[0]!;
        assert.equal(held['pausedAt'], '2022-06-14T07:30:00.000Z');
        assert.equal(held['resumedAt'], '2022-06-14T09:30:00.000Z');
        assert.ok(Number(held['checkpointStep']) > 0, 'checkpointed first');
        assert.equal(result.training?.steps, 96);

        const commands = await listCommands(blobsOf(result), JOB_ID);
        assert.deepEqual(commands.map((record) => [
          record.command.commandId, record.status,
          record.application?.outcome, record.application?.atMs]), [
          ['pause-1', 'applied', 'applied',
            Date.parse('2022-06-14T07:30:00Z')],
          ['resume-1', 'applied', 'applied',
            Date.parse('2022-06-14T09:30:00Z')],
        ]);
        const snapshot = await readSnapshot(blobsOf(result), JOB_ID);
        assert.equal(snapshot?.state, 'completed');
        const operatorDecisions = snapshot!.decisions.filter(
          (decision) => decision.reason === 'operator-commands');
        assert.deepEqual(operatorDecisions.map((d) => d.decision),
          ['pause', 'resume']);
        const who = 'operator@example.com';
        assert.deepEqual(await commandRowsOf(result), [
          ['pause-1', 'accepted', null, null, who],
          ['pause-1', 'applied', 'running', 'applied', who],
          ['resume-1', 'accepted', null, null, who],
          ['resume-1', 'applied', 'paused', 'applied', who],
        ]);
      });

    it('ends the job cancelled after a checkpoint on cancel', async () => {
      const result = await demo([
        commandAt('2022-06-14T07:10:00Z', 'cancel', 'cancel-1'),
      ]);
      assert.equal(result.status, 'cancelled', result.error);
      assert.equal(result.virtualEnd, '2022-06-14T07:30:00.000Z');
      assert.ok(result.ledgerRows >= 1, 'the footprint was recorded');

      const snapshot = await readSnapshot(blobsOf(result), JOB_ID);
      assert.equal(snapshot?.state, 'cancelled');
      assert.equal(snapshot?.cancellation?.commandId, 'cancel-1');
      assert.equal(snapshot?.cancellation?.requestedBy,
        'operator@example.com');
      assert.equal(snapshot?.cancellation?.checkpointFirst, true);
      const segment = snapshot!.segments[0]!;
      assert.equal(segment.endState, 'JOB_STATE_CANCELLED');
      assert.ok((segment.endStep ?? 0) > 0, 'checkpointed before stopping');
      const [record] = await listCommands(blobsOf(result), JOB_ID);
      assert.equal(record?.status, 'applied');
    });
    it('starts at the next wake-up on run-now while waiting', async () => {
      // The plan waits until 06:00; the wait wakes every 30 minutes.
      const result = await demo([
        commandAt('2022-06-14T02:10:00Z', 'run-now', 'run-now-1'),
      ]);
      assert.equal(result.status, 'completed', result.error);
      const snapshot = await readSnapshot(blobsOf(result), JOB_ID);
      assert.equal(snapshot!.segments[0]!.launchedAtMs,
        Date.parse('2022-06-14T02:30:00Z'));
      const [record] = await listCommands(blobsOf(result), JOB_ID);
      assert.equal(record?.application?.outcome, 'applied');
      assert.deepEqual(await commandRowsOf(result), [
        ['run-now-1', 'accepted', null, null, 'operator@example.com'],
        ['run-now-1', 'applied', 'waiting', 'applied',
          'operator@example.com'],
      ]);
    });

    it('ends a waiting job cancelled before any launch', async () => {
      const result = await demo([
        commandAt('2022-06-14T01:10:00Z', 'cancel', 'cancel-2'),
      ]);
      assert.equal(result.status, 'cancelled', result.error);
      assert.equal(result.virtualEnd, '2022-06-14T01:30:00.000Z');
      const snapshot = await readSnapshot(blobsOf(result), JOB_ID);
      assert.equal(snapshot?.state, 'cancelled');
      assert.deepEqual(snapshot?.segments, []);
      assert.equal(snapshot?.cancellation?.checkpointFirst, false);
    });
  });
