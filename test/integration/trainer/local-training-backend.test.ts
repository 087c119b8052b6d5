import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  LocalTrainingBackend,
} from '../../../adapters/local/local-training-backend.js';
import type {
  LocalTrainingJobSpec,
} from '../../../adapters/local/local-training-backend.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {writeCheckpoint} from '../../../trainer/checkpoint-store.js';
import {PAUSE_SIGNAL_FILE} from '../../../trainer/trainer-protocol.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const T0 = Date.parse('2025-03-03T00:00:00Z');

// Lets the virtual clock run until it reads `instantMs`.
async function advanceTo(clock: VirtualClock, instantMs: number) {
  let reached = false;
  void clock.sleepUntil(instantMs).then(() => {
    reached = true;
  });
  await clock.run(() => reached);
}

describe('LocalTrainingBackend under the virtual clock', function () {
  this.timeout(40000);
  let jobDir: string;
  let clock: VirtualClock;
  let backend: LocalTrainingBackend;

  const spec = (
    overrides: Partial<LocalTrainingJobSpec> = {},
  ): LocalTrainingJobSpec => ({
    jobId: 'j-42',
    segmentIndex: 0,
    regionId: 'europe-west4',
    jobDir,
    maxSteps: 30,
    checkpointEverySteps: 10,
    seed: 17,
    stepsPerVirtualHour: 12,
    provisioningMs: 10 * MINUTE_MS,
    ...overrides,
  });

  beforeEach(async () => {
    jobDir = await mkdtemp(path.join(tmpdir(), 'local-training-'));
    clock = new VirtualClock(T0);
    backend = new LocalTrainingBackend({clock});
  });

  afterEach(async () => {
    await backend.close();
    await rm(jobDir, {recursive: true, force: true});
  });

  it('runs exactly stepsPerVirtualHour steps per virtual hour', async () => {
    const name = await backend.createJob(spec());
    assert.equal(name, 'local/j-42/segment-0');
    assert.equal(backend.getJob(name).state, 'JOB_STATE_PENDING');

    const startMs = T0 + 10 * MINUTE_MS;
    const waypoints = [
      {atMs: startMs - 1, step: 0, state: 'JOB_STATE_PENDING'},
      {atMs: startMs, step: 0, state: 'JOB_STATE_RUNNING'},
      {atMs: startMs + 5 * MINUTE_MS - 1, step: 0, state: 'JOB_STATE_RUNNING'},
      {atMs: startMs + 30 * MINUTE_MS, step: 6, state: 'JOB_STATE_RUNNING'},
      {atMs: startMs + HOUR_MS, step: 12, state: 'JOB_STATE_RUNNING'},
      {atMs: startMs + HOUR_MS + 4 * MINUTE_MS, step: 12,
        state: 'JOB_STATE_RUNNING'},
      {atMs: startMs + 2 * HOUR_MS, step: 24, state: 'JOB_STATE_RUNNING'},
    ];
    for (const waypoint of waypoints) {
      await advanceTo(clock, waypoint.atMs);
      const job = backend.getJob(name);
      assert.deepEqual(
        {atMs: waypoint.atMs, step: job.step, state: job.state},
        waypoint,
      );
    }

    await clock.run(
      () => backend.getJob(name).state === 'JOB_STATE_SUCCEEDED',
    );
    const done = backend.getJob(name);
    assert.equal(done.step, 30);
    assert.equal(done.stepsRun, 30);
    assert.equal(done.lastCheckpointStep, 30);
    assert.equal(done.startTimeMs, startMs);
    assert.equal(done.endTimeMs, startMs + 2.5 * HOUR_MS);
    assert.equal(done.runningMs, 2.5 * HOUR_MS);
    assert.equal(done.energyRelevantMs, 2.5 * HOUR_MS + 10 * MINUTE_MS);
    assert.ok((done.heldOutAccuracy ?? 0) > 0.5, `${done.heldOutAccuracy}`);
    assert.equal(done.error, null);
  });

  it('pauses as checkpoint plus cancel; the next segment resumes', async () => {
    const first = await backend.createJob(spec({maxSteps: 40}));
    const pauseAtMs = T0 + 10 * MINUTE_MS + HOUR_MS + 2 * MINUTE_MS;
    await advanceTo(clock, pauseAtMs);

    const checkpointStep = await backend.requestPause(first);
    assert.equal(checkpointStep, 12);
    const paused = backend.getJob(first);
    assert.equal(paused.state, 'JOB_STATE_CANCELLED');
    assert.equal(paused.lastCheckpointStep, 12);
    assert.equal(paused.endTimeMs, pauseAtMs);
    assert.equal(existsSync(path.join(jobDir, PAUSE_SIGNAL_FILE)), false);
    assert.equal(await backend.requestPause(first), 12);
    assert.equal((await backend.latestCheckpoint(jobDir))?.step, 12);

    await advanceTo(clock, pauseAtMs + 3 * HOUR_MS);
    const second = await backend.createJob(spec({maxSteps: 40,
      segmentIndex: 1}));
    await clock.run(
      () => backend.getJob(second).state === 'JOB_STATE_SUCCEEDED',
    );
    const resumed = backend.getJob(second);
    assert.equal(resumed.resumedFromStep, 12);
    assert.equal(resumed.step, 40);
    assert.equal(resumed.stepsRun, 28);
    assert.equal(resumed.startTimeMs, pauseAtMs + 3 * HOUR_MS + 10 * MINUTE_MS);
    assert.ok((resumed.heldOutAccuracy ?? 0) > 0.5);

    const listings = await backend.listCheckpoints(jobDir);
    assert.deepEqual(listings.map((l) => [l.step, l.problem]), [
      [10, null], [12, null], [20, null], [30, null], [40, null],
    ]);
  });

  it('starts one process for a repeated create of the same name', async () => {
    const [first, second] = await Promise.all([
      backend.createJob(spec()),
      backend.createJob(spec()),
    ]);
    const third = await backend.createJob(spec());
    assert.equal(first, second);
    assert.equal(first, third);
    assert.equal(backend.liveProcessCount(), 1);
    await advanceTo(clock, T0 + HOUR_MS);
    assert.equal(backend.liveProcessCount(), 1);
    assert.equal(backend.getJob(first).step, 10);
  });

  it('refuses a second live segment on the same job directory', async () => {
    await backend.createJob(spec());
    await assert.rejects(
      backend.createJob(spec({segmentIndex: 1})),
      {code: 'TRAINING_JOB_DIRECTORY_BUSY'},
    );
  });

  it('reports a trainer that dies as failed with its stderr tail', async () => {
    const name = await backend.createJob(spec());
    await advanceTo(clock, T0 + 10 * MINUTE_MS + 20 * MINUTE_MS);
    const {processId} = backend.getJob(name);
    assert.ok(processId);
    process.kill(processId, 'SIGKILL');
    await clock.run(() => backend.getJob(name).state === 'JOB_STATE_FAILED');
    const failed = backend.getJob(name);
    assert.match(failed.error?.message ?? '', /signal SIGKILL/);
    assert.match(failed.error?.stderrTail ?? '', /"step finished"/);
    assert.equal(failed.step, 4);
  });

  it('reports a trainer that cannot start as failed, with why', async () => {
    await writeCheckpoint(jobDir, {
      step: 5,
      seed: 999,
      loss: 1,
      dataOrder: {epoch: 0, offset: 320},
      files: [{role: 'model-weights', bytes: new Uint8Array(4),
        tensors: []}],
    });
    const name = await backend.createJob(spec());
    await clock.run(() => backend.getJob(name).state === 'JOB_STATE_FAILED');
    const failed = backend.getJob(name);
    assert.match(failed.error?.stderrTail ?? '', /seed 999 differs/);
    assert.equal(failed.startTimeMs, null);
    await assert.rejects(backend.requestPause(name),
      {code: 'TRAINING_JOB_STATE_INVALID'});
  });

  it('cancels without a checkpoint; close kills all children', async () => {
    const cancelled = await backend.createJob(spec());
    await advanceTo(clock, T0 + 10 * MINUTE_MS + 35 * MINUTE_MS);
    const job = await backend.cancelJob(cancelled);
    assert.equal(job.state, 'JOB_STATE_CANCELLED');
    assert.equal(job.step, 7);
    const manifests = (await readdir(jobDir)).filter((name) =>
      name.endsWith('.json'),
    );
    assert.deepEqual(manifests, []);

    const otherDir = path.join(jobDir, 'other');
    const open = await backend.createJob(
      spec({jobId: 'j-43', jobDir: otherDir}),
    );
    await advanceTo(clock, T0 + 2 * HOUR_MS);
    assert.equal(backend.liveProcessCount(), 1);
    await backend.close();
    assert.equal(backend.liveProcessCount(), 0);
    assert.equal(backend.getJob(open).state, 'JOB_STATE_CANCELLED');
    await assert.rejects(backend.createJob(spec({jobId: 'j-44'})),
      {code: 'TRAINING_BACKEND_CLOSED'});
  });
});
