import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdir, mkdtemp, rm, utimes} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {resolveRunDirectory} from '../../../cli/run-directory.js';
import {runCommand} from '../../integration/cli/run-command.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';

describe('jobs list and status over a demo run', function () {
  this.timeout(240_000);
  let directory: string;
  let demo: DemoResult;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'jobs-cli-'));
    demo = await runDemo({
      jobFile: 'examples/jobs/fine-tune-h100.json',
      nowMs: Date.parse(DEFAULT_DEMO_NOW),
      speed: 0,
      oracle: false,
      json: true,
      runDirectory: path.join(directory, 'run'),
      projectId: `jobs-${randomUUID().slice(0, 8)}`,
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
    });
    assert.equal(demo.status, 'completed');
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('lists the demo job with its state and project', async () => {
    const run = await runCommand(['jobs', 'list', '--run-dir',
      demo.runDirectory, '--json']);
    assert.equal(run.exitCode, 0, run.stderr);
    const {jobs} = JSON.parse(run.stdout);
    assert.deepEqual(jobs.map((j: {jobId: string}) => j.jobId),
      [demo.jobId]);
    assert.equal(jobs[0].state, 'completed');
    assert.equal(jobs[0].project, 'demo-research');
  });

  it('filters the list by state and project', async () => {
    const none = await runCommand(['jobs', 'list', '--run-dir',
      demo.runDirectory, '--state', 'running', '--json']);
    assert.deepEqual(JSON.parse(none.stdout).jobs, []);
    const other = await runCommand(['jobs', 'list', '--run-dir',
      demo.runDirectory, '--project', 'someone-else', '--json']);
    assert.deepEqual(JSON.parse(other.stdout).jobs, []);
    const text = await runCommand(['jobs', 'list', '--run-dir',
      demo.runDirectory, '--project', 'demo-research']);
    assert.match(text.stdout, new RegExp(`${demo.jobId}\\s+completed`));
  });

  it('shows plan, segments and the ledger emissions in status',
    async () => {
      const run = await runCommand(['jobs', 'status', demo.jobId!,
        '--run-dir', demo.runDirectory, '--json']);
      assert.equal(run.exitCode, 0, run.stderr);
      const status = JSON.parse(run.stdout);
      assert.equal(status.state, 'completed');
      assert.equal(status.plan.segments[0].region, demo.plan?.region);
      assert.equal(status.segmentsSoFar.length, demo.pauses + 1);
      assert.ok(Math.abs(status.emissionsSoFar.kilograms -
        demo.emissionsKg!) < 1e-9);
      assert.equal(status.emissionsSoFar.progressSegments, 0);
      assert.equal(status.nextDecision, null);
    });

  it('records the first segment as starting at step 0', async () => {
    const blobs = new DirectoryBlobStore(path.join(demo.runDirectory,
      'blobs'));
    const snapshot = await readSnapshot(blobs, demo.jobId!);
    const run = await runCommand(['jobs', 'status', demo.jobId!,
      '--run-dir', demo.runDirectory, '--json']);
    const status = JSON.parse(run.stdout);

    assert.equal(snapshot?.segments[0]?.startStep, 0);
    assert.equal(status.segmentsSoFar[0].startStep, 0);
  });

  it('labels the planned end, the last step and the recording in words',
    async () => {
      const blobs = new DirectoryBlobStore(path.join(demo.runDirectory,
        'blobs'));
      const snapshot = await readSnapshot(blobs, demo.jobId!);
      const last = snapshot!.segments.at(-1)!;
      const run = await runCommand(['jobs', 'status', demo.jobId!,
        '--run-dir', demo.runDirectory]);
      assert.ok(demo.recordedAt, 'the demo names when it recorded');

      assert.match(run.stdout, new RegExp('^  planned \\S+ \\S+ -> ' +
        `${demo.plan!.end.replaceAll('.', '\\.')}$`, 'm'));
      assert.ok(run.stdout.includes(`trained until ${new Date(
        last.endedAtMs!).toISOString()} (last step)`), run.stdout);
      assert.ok(run.stdout.includes(`recorded at ${demo.recordedAt}`),
        run.stdout);
      assert.match(run.stdout, new RegExp('#0 \\S+ launched \\S+, ' +
        'trained until \\S+ \\(last step\\), steps 0-\\d+ '));
    });

  it('says status in words without --json', async () => {
    const run = await runCommand(['jobs', 'status', demo.jobId!,
      '--run-dir', demo.runDirectory]);
    assert.match(run.stdout, /: completed/);
    assert.match(run.stdout, /emissions so far: \d+\.\d{3} kgCO2e/);
    assert.match(run.stdout, /next: nothing, the job has ended/);
  });

  it('names the job when status finds none', async () => {
    const run = await runCommand(['jobs', 'status', 'no-such-job',
      '--run-dir', demo.runDirectory]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /^jobId: no job "no-such-job"/);
  });

  it('reads the newest run under .local/runs by default', async () => {
    const runs = path.join(directory, 'cwd', '.local', 'runs');
    await mkdir(path.join(runs, 'older'), {recursive: true});
    await mkdir(path.join(runs, 'newer'), {recursive: true});
    await utimes(path.join(runs, 'older'), new Date(1000), new Date(1000));
    assert.equal(resolveRunDirectory(undefined, path.join(directory, 'cwd')),
      path.join(runs, 'newer'));
    assert.throws(() => resolveRunDirectory(undefined, directory),
      /no run under/);
  });
});
