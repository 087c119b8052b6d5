import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createDirectoryObjectStore} from
  '../../../adapters/gcs-checkpoints/directory-object-store.js';
import {
  isTerminalState,
  outcomeOf,
  trainingStateOf,
} from '../../../adapters/vertex/job-states.js';
import {createVertexTrainingBackend} from
  '../../../adapters/vertex/vertex-training-backend.js';
import type {VertexTrainingBackendOptions} from
  '../../../adapters/vertex/vertex-training-backend.js';
import {
  TRAINING_CAPACITY_UNAVAILABLE,
  TrainingCapacityError,
} from '../../../adapters/vertex/vertex-errors.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {
  checkpointPrefix,
  manifestName,
  pausedMarkerKey,
  pauseRequestKey,
} from '../../../shared/checkpoints/checkpoint-layout.js';
import type {CheckpointObjectStore} from
  '../../../shared/checkpoints/object-store.js';
import {TERMINAL_TRAINING_STATES} from
  '../../../shared/ports/training-backend.js';
import type {TrainingSegmentRequest} from
  '../../../shared/ports/training-backend.js';
import {AiplatformStandIn, SteppingClock} from './aiplatform-stand-in.js';

const PROJECT = 'p';
const bucketOf = (regionId: string) => `ckpt-${regionId}`;

function segment(overrides: Partial<TrainingSegmentRequest> = {}):
    TrainingSegmentRequest {
  return {
    jobId: 'j-42', segmentIndex: 0, regionId: 'europe-west4',
    maxSteps: 240, checkpointEverySteps: 24, seed: 7,
    machineType: 'a3-highgpu-8g', acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorCount: 8, imageUri: 'europe-docker.pkg.dev/p/r/train:1',
    args: [], expectedRunSeconds: 36_000, ...overrides,
  };
}

// Writes one checkpoint the way the container does: data, then manifest.
async function writeCheckpoint(store: CheckpointObjectStore, regionId: string,
  step: number, options: {manifest?: boolean} = {}): Promise<void> {
  const bucket = bucketOf(regionId);
  const prefix = checkpointPrefix('j-42');
  const stem = manifestName(step).replace(/\.json$/, '');
  const dataName = `${stem}.model-weights.0123456789abcdef.bin`;
  await store.write({bucket, key: prefix + dataName}, Buffer.alloc(64, step));
  if (options.manifest === false) return;
  await store.write({bucket, key: prefix + manifestName(step)},
    JSON.stringify({schemaVersion: 1, step, loss: 0.5,
      files: [{fileName: dataName, byteLength: 64}]}));
}

async function writePausedMarker(store: CheckpointObjectStore,
  regionId: string, segmentIndex: number, step: number): Promise<void> {
  await store.write({bucket: bucketOf(regionId),
    key: pausedMarkerKey('j-42', segmentIndex)}, JSON.stringify({step}));
}

describe('Vertex AI training backend (aiplatform client stand-in)', () => {
  let root: string;
  let store: CheckpointObjectStore;
  let clock: SteppingClock;
  let standIns: Map<string, AiplatformStandIn>;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vertex-backend-'));
    store = createDirectoryObjectStore(root);
    clock = new SteppingClock(Date.parse('2025-03-01T10:00:00Z'));
    standIns = new Map();
  });
  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  function standIn(regionId: string): AiplatformStandIn {
    let client = standIns.get(regionId);
    if (!client) {
      client = new AiplatformStandIn(PROJECT, regionId, clock);
      standIns.set(regionId, client);
    }
    return client;
  }

  function backend(overrides: Partial<VertexTrainingBackendOptions> = {}) {
    return createVertexTrainingBackend({
      project: PROJECT,
      serviceAccount: 'trainer@p.iam.gserviceaccount.com',
      checkpointBucketFor: bucketOf,
      objects: store,
      catalog: loadRegionCatalog(),
      stepsPerHour: 24,
      restartOverheadMs: 0,
      clock,
      pollIntervalMs: 5_000,
      checkpointConfirmTimeoutMs: 10 * 60_000,
      cancelTimeoutMs: 10 * 60_000,
      clientFor: standIn,
      ...overrides,
    });
  }

  describe('launch', () => {
    it('creates a segment once: a repeated launch finds it by its labels',
      async () => {
        const training = backend();
        const first = await training.launch(segment());
        const again = await training.launch(segment());
        const client = standIn('europe-west4');
        assert.equal(again.name, first.name);
        assert.equal(client.callsOf('createCustomJob').length, 1);
        assert.deepEqual(client.callsOf('listCustomJobs')[0]!.request, {
          parent: 'projects/p/locations/europe-west4',
          filter: 'labels.carbon-job-id=j-42 AND labels.attempt=0',
        });
        assert.match(first.name,
          /^projects\/p\/locations\/europe-west4\/customJobs\/\d+$/);
      });

    it('creates the next attempt beside the previous one', async () => {
      const training = backend();
      const first = await training.launch(segment());
      const second = await training.launch(segment({segmentIndex: 1}));
      assert.notEqual(second.name, first.name);
      assert.equal(standIn('europe-west4').callsOf('createCustomJob').length,
        2);
    });

    it('does not reuse a failed job of the same attempt', async () => {
      const training = backend();
      const first = await training.launch(segment());
      standIn('europe-west4').setState(first.name, 'JOB_STATE_FAILED');
      const again = await training.launch(segment());
      assert.notEqual(again.name, first.name);
    });

    it('keeps the lazily made client of each region', async () => {
      let made = 0;
      const training = backend({clientFor: (regionId) => {
        made++;
        return standIn(regionId);
      }});
      await training.launch(segment());
      await training.launch(segment({segmentIndex: 1}));
      assert.equal(made, 1);
    });

    it('turns RESOURCE_EXHAUSTED into a retryable-elsewhere capacity error',
      async () => {
        standIn('europe-west4').createError = Object.assign(
          new Error('8 RESOURCE_EXHAUSTED: Quota exceeded for ' +
            'custom_model_training_nvidia_h100_gpus'), {code: 8});
        await assert.rejects(backend().launch(segment()),
          (error: TrainingCapacityError) =>
            error.code === TRAINING_CAPACITY_UNAVAILABLE &&
            error.retryable && error.regionId === 'europe-west4' &&
            error.reason === 'quota');
      });

    it('turns a stockout message into a capacity error', async () => {
      standIn('europe-west4').createError = Object.assign(new Error(
        'The zone europe-west4-b does not have enough resources available ' +
          'to fulfill the request'), {code: 3});
      await assert.rejects(backend().launch(segment()),
        (error: TrainingCapacityError) => error.reason === 'stockout');
    });

    it('passes other errors through unchanged', async () => {
      const denied = Object.assign(new Error('7 PERMISSION_DENIED'),
        {code: 7});
      standIn('europe-west4').createError = denied;
      await assert.rejects(backend().launch(segment()),
        (error: unknown) => error === denied);
    });
  });

  describe('states', () => {
    it('maps every JobState name, and unknown ones to non-terminal', () => {
      for (const state of TERMINAL_TRAINING_STATES) {
        assert.equal(trainingStateOf(state), state);
      }
      assert.equal(trainingStateOf('JOB_STATE_UNSPECIFIED'),
        'JOB_STATE_PENDING');
      assert.equal(trainingStateOf('JOB_STATE_FROM_THE_FUTURE'),
        'JOB_STATE_PENDING');
      assert.equal(trainingStateOf(6), 'JOB_STATE_CANCELLING');
      assert.equal(trainingStateOf(4), 'JOB_STATE_SUCCEEDED');
    });

    it('C30: terminal is exactly SUCCEEDED, FAILED, CANCELLED, EXPIRED, ' +
        'PARTIALLY_SUCCEEDED', () => {
      const all = ['QUEUED', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED',
        'CANCELLING', 'CANCELLED', 'PAUSED', 'EXPIRED', 'UPDATING',
        'PARTIALLY_SUCCEEDED'].map((name) => `JOB_STATE_${name}`);
      const terminal = all.filter((name) =>
        isTerminalState(trainingStateOf(name)));
      assert.deepEqual(terminal.sort(), ['JOB_STATE_CANCELLED',
        'JOB_STATE_EXPIRED', 'JOB_STATE_FAILED',
        'JOB_STATE_PARTIALLY_SUCCEEDED', 'JOB_STATE_SUCCEEDED']);
    });

    it('reads a success as complete and a cancel as stopped', () => {
      assert.equal(outcomeOf('JOB_STATE_SUCCEEDED'), 'completed');
      assert.equal(outcomeOf('JOB_STATE_CANCELLED'), 'stopped');
      assert.equal(outcomeOf('JOB_STATE_EXPIRED'), 'failed');
      assert.equal(outcomeOf('JOB_STATE_CANCELLING'), null);
    });

    it('describes progress from the highest complete checkpoint, passing ' +
        'over a torn newer one', async () => {
      const training = backend();
      const {name} = await training.launch(segment());
      standIn('europe-west4').setState(name, 'JOB_STATE_RUNNING');
      await writeCheckpoint(store, 'europe-west4', 24);
      await writeCheckpoint(store, 'europe-west4', 48);
      await writeCheckpoint(store, 'europe-west4', 72, {manifest: false});
      await clock.sleepUntil(clock.nowMs() + 3_600_000);
      const status = await training.describe(name);
      assert.equal(status.state, 'JOB_STATE_RUNNING');
      assert.equal(status.lastCheckpointStep, 48);
      assert.equal(status.loss, 0.5);
      assert.equal(status.energyRelevantMs, 3_600_000);
    });
  });

  describe('pause', () => {
    it('cancels only after the container confirmed a complete checkpoint',
      async () => {
        const training = backend();
        const {name} = await training.launch(segment());
        const client = standIn('europe-west4');
        client.setState(name, 'JOB_STATE_RUNNING');
        const confirmAtMs = clock.nowMs() + 95_000;
        clock.at(confirmAtMs, async () => {
          await writeCheckpoint(store, 'europe-west4', 96);
          await writePausedMarker(store, 'europe-west4', 0, 96);
        });

        const result = await training.pause(name);
        assert.deepEqual(result, {checkpointStep: 96});
        const request = await store.read({bucket: 'ckpt-europe-west4',
          key: pauseRequestKey('j-42', 0)});
        assert.ok(request, 'the pause request marker was written');
        const cancels = client.callsOf('cancelCustomJob');
        assert.equal(cancels.length, 1);
        assert.ok(cancels[0]!.atMs >= confirmAtMs);
        assert.equal((await training.describe(name)).state,
          'JOB_STATE_CANCELLED');
      });

    it('does not cancel when the marker names a torn checkpoint', async () => {
      const training = backend({checkpointConfirmTimeoutMs: 60_000});
      const {name} = await training.launch(segment());
      const client = standIn('europe-west4');
      client.setState(name, 'JOB_STATE_RUNNING');
      await writeCheckpoint(store, 'europe-west4', 48);
      await writeCheckpoint(store, 'europe-west4', 72, {manifest: false});
      await writePausedMarker(store, 'europe-west4', 0, 72);
      await assert.rejects(training.pause(name),
        (error: Error & {code?: string; retryable?: boolean}) =>
          error.code === 'checkpoint-not-confirmed' &&
          error.retryable === true);
      assert.equal(client.callsOf('cancelCustomJob').length, 0);
    });

    it('C30: resolves only when CANCELLING has ended; a resume in between ' +
        'sees a job that is not terminal', async () => {
      const training = backend();
      const {name} = await training.launch(segment());
      const client = standIn('europe-west4');
      client.setState(name, 'JOB_STATE_RUNNING');
      client.afterCancel = [
        {afterMs: 0, state: 'JOB_STATE_CANCELLING'},
        {afterMs: 150_000, state: 'JOB_STATE_CANCELLED'},
      ];
      await writeCheckpoint(store, 'europe-west4', 96);
      await writePausedMarker(store, 'europe-west4', 0, 96);
      const pauseAtMs = Date.parse('2025-03-01T10:00:00Z');
      let seenAtResume: string | null = null;
      clock.at(Date.parse('2025-03-01T10:01:10Z'), async () => {
        seenAtResume = (await training.describe(name)).state;
      });

      await training.pause(name);
      const stoppedAtMs = clock.nowMs();
      const next = await training.launch(segment({segmentIndex: 1}));

      assert.equal(seenAtResume, 'JOB_STATE_CANCELLING');
      assert.equal(isTerminalState('JOB_STATE_CANCELLING'), false);
      assert.equal(client.callsOf('cancelCustomJob')[0]!.atMs, pauseAtMs);
      assert.ok(stoppedAtMs >= Date.parse('2025-03-01T10:02:30Z'));
      const creates = client.callsOf('createCustomJob');
      assert.equal(creates.length, 2);
      assert.ok(creates[1]!.atMs >= Date.parse('2025-03-01T10:02:30Z'));
      assert.notEqual(next.name, name);
    });

    it('C30: a job that succeeds while being cancelled is complete',
      async () => {
        const training = backend();
        const {name} = await training.launch(segment());
        const client = standIn('europe-west4');
        client.setState(name, 'JOB_STATE_RUNNING');
        client.afterCancel = [
          {afterMs: 0, state: 'JOB_STATE_CANCELLING'},
          {afterMs: 30_000, state: 'JOB_STATE_SUCCEEDED'},
        ];
        await writeCheckpoint(store, 'europe-west4', 216);
        await writePausedMarker(store, 'europe-west4', 0, 216);
        clock.at(clock.nowMs() + 20_000, async () => {
          await writeCheckpoint(store, 'europe-west4', 240);
        });

        const result = await training.pause(name);
        const status = await training.describe(name);
        assert.equal(status.state, 'JOB_STATE_SUCCEEDED');
        assert.equal(outcomeOf(status.state), 'completed');
        assert.deepEqual(result, {checkpointStep: 240});
      });

    it('answers a pause of a job that already succeeded with its final ' +
        'checkpoint and cancels nothing', async () => {
      const training = backend();
      const {name} = await training.launch(segment());
      const client = standIn('europe-west4');
      client.setState(name, 'JOB_STATE_SUCCEEDED');
      await writeCheckpoint(store, 'europe-west4', 240);
      assert.deepEqual(await training.pause(name), {checkpointStep: 240});
      assert.equal(client.callsOf('cancelCustomJob').length, 0);
    });

    it('gives the same answer when asked again after the cancel', async () => {
      const training = backend();
      const {name} = await training.launch(segment());
      standIn('europe-west4').setState(name, 'JOB_STATE_RUNNING');
      await writeCheckpoint(store, 'europe-west4', 48);
      await writePausedMarker(store, 'europe-west4', 0, 48);
      assert.deepEqual(await training.pause(name), {checkpointStep: 48});
      assert.deepEqual(await training.pause(name), {checkpointStep: 48});
    });
  });
});
