import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, utimesSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {resolveRunDirectory} from '../../../cli/run-directory.js';
import {
  jobKeys,
  writeSnapshot,
  type JobState,
} from '../../../shared/jobs/job-snapshot.js';
import {useEmulator} from '../../support/emulator.js';
import {errorObject, hasStack, runBin} from './cli-process.js';

const START_MS = Date.parse('2022-06-14T06:00:00Z');

// A run folder holding one job in the given state.
async function runWithJob(
  runDirectory: string,
  jobId: string,
  state: JobState,
): Promise<void> {
  const blobs = new DirectoryBlobStore(path.join(runDirectory, 'blobs'));
  await blobs.write(jobKeys.request(jobId), JSON.stringify({jobId,
    project: 'demo-research',
    constraints: {deadline: '2022-06-16T00:00:00Z'}}));
  await writeSnapshot(blobs, {jobId, state, submittedAtMs: START_MS,
    updatedAtMs: START_MS, lastSequence: 3, segments: [], decisions: []});
}

describe('the default run folder (jobs, report, dashboard)', function () {
  this.timeout(60_000);
  let cwd: string;
  let runs: string;
  before(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'run-folders-'));
    runs = path.join(cwd, '.local', 'runs');
    await runWithJob(path.join(runs, 'with-jobs'), 'fine-tune-llama-demo',
      'completed');
    // A newer run whose request was rejected: no job snapshot in it.
    mkdirSync(path.join(runs, 'rejected', 'blobs'), {recursive: true});
    utimesSync(path.join(runs, 'with-jobs'), new Date(1000),
      new Date(1000));
  });
  after(() => rmSync(cwd, {recursive: true, force: true}));

  it('passes over a newer run that holds no jobs, and says so', () => {
    const notes: string[] = [];
    const chosen = resolveRunDirectory(undefined, cwd,
      (line) => notes.push(line));
    assert.equal(chosen, path.join(runs, 'with-jobs'));
    assert.match(notes.join('\n'),
      /newest run .*rejected holds no jobs; reading .*with-jobs/);
  });

  it('lists the jobs of the newest run with jobs (jobs list)', async () => {
    const run = await runBin(['jobs', 'list', '--json'], {cwd});
    assert.equal(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as {runDirectory: string;
      jobs: {jobId: string}[]};
    assert.equal(printed.runDirectory, path.join(runs, 'with-jobs'));
    assert.deepEqual(printed.jobs.map((job) => job.jobId),
      ['fine-tune-llama-demo']);
    assert.match(run.stderr, /holds no jobs/);
  });

  it('refuses a --run-dir that is not a folder, in JSON too', async () => {
    const run = await runBin(['jobs', 'list', '--run-dir',
      path.join(cwd, 'nowhere'), '--json'], {cwd});
    assert.equal(run.status, 2, run.stderr);
    assert.equal(errorObject(run).field, '--run-dir');
  });
});

describe('jobs control commands on the Pub/Sub emulator (the bin)',
  function () {
    this.timeout(120_000);
    const {pubsub, projectId, address} = useEmulator('cli-errors');
    let runDirectory: string;
    before(async () => {
      runDirectory = mkdtempSync(path.join(tmpdir(), 'jobs-local-run-'));
      await runWithJob(runDirectory, 'job-done', 'completed');
    });
    after(() => rmSync(runDirectory, {recursive: true, force: true}));

    it('says the job-commands topic is missing, without a stack, exit 1',
      async () => {
        const run = await runBin(['jobs', 'cancel', 'job-done', '--project',
          projectId(), '--run-dir', runDirectory, '--json'],
        {env: {PUBSUB_EMULATOR_HOST: address()}});
        assert.equal(run.status, 1, run.stderr);
        assert.ok(!hasStack(run.stderr), run.stderr);
        assert.match(run.lastLine, new RegExp('topic job-commands does ' +
          `not exist in project ${projectId()}.*deploy first`));
        assert.equal(errorObject(run).code, 'pubsub-not-found');
      });

    it('says the dead-letter subscription is missing, exit 1', async () => {
      const run = await runBin(['dlq', 'list', '--project', projectId()],
        {env: {PUBSUB_EMULATOR_HOST: address()}});
      assert.equal(run.status, 1, run.stderr);
      assert.ok(!hasStack(run.stderr), run.stderr);
      assert.match(run.lastLine,
        /subscription .*dead-letters--audit does not exist/);
    });

    it('warns that the local run shows the job completed, and still sends',
      async () => {
        await pubsub().createTopic('job-commands');
        const run = await runBin(['jobs', 'cancel', 'job-done', '--project',
          projectId(), '--run-dir', runDirectory, '--json'],
        {env: {PUBSUB_EMULATOR_HOST: address()}});
        assert.equal(run.status, 0, run.stderr);
        const printed = JSON.parse(run.stdout) as {commandId: string;
          warning?: string};
        assert.ok(printed.commandId);
        assert.match(printed.warning ?? '', /"job-done" is completed/);
        assert.match(run.stderr, /^warning: job "job-done" is completed/m);
      });

    it('warns that the local run does not know the job', async () => {
      const run = await runBin(['jobs', 'pause', 'job-unknown', '--project',
        projectId(), '--run-dir', runDirectory],
      {env: {PUBSUB_EMULATOR_HOST: address()}});
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr,
        /warning: the local run .* has no job "job-unknown"/);
      assert.match(run.stdout, /command .*: pause for job-unknown/);
    });
  });
