import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {v1} from '@google-cloud/pubsub';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {LocalLifecycleStarter} from
  '../../../adapters/local/local-lifecycle-starter.js';
import {LocalTrainingBackend} from
  '../../../adapters/local/local-training-backend.js';
import {LocalTrainingPort} from
  '../../../adapters/local/local-training-port.js';
import {TrackedPublisher} from '../../../adapters/local/tracked-publisher.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {CallbackServer} from
  '../../../adapters/local/workflow-runner/callback-server.js';
import {ensureTopology} from '../../../adapters/pubsub/topology.js';
import {createIntensityPolls} from
  '../../../functions/fetch-forecasts/intensity-polls.js';
import {loadRegionCatalog} from
  '../../../shared/catalog/region-catalog.js';
import {jobKeys, writeSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';
import {useEmulator} from '../../support/emulator.js';

const START_MS = Date.parse('2022-06-14T12:00:00Z');
const MINUTE_MS = 60_000;
const JOB_ID = 'job-orphan';

describe('the scheduled poll reconciles with the local ports', function () {
  this.timeout(60_000);
  const {pubsub, projectId} = useEmulator('reconcile');
  let directory: string;
  let clock: VirtualClock;
  let blobs: DirectoryBlobStore;
  let callbacks: CallbackServer;
  let backend: LocalTrainingBackend;
  let training: LocalTrainingPort;
  let lifecycle: LocalLifecycleStarter;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'reconcile-'));
    await ensureTopology(pubsub(), {});
    await pubsub().topic('job-events').createSubscription('events-probe');
    clock = new VirtualClock(START_MS);
    blobs = new DirectoryBlobStore(path.join(directory, 'blobs'));
    callbacks = new CallbackServer({clock});
    await callbacks.start();
    backend = new LocalTrainingBackend({clock});
    training = new LocalTrainingPort(backend,
      path.join(directory, 'training'),
      {stepsPerHour: 12, restartOverheadMs: 5 * MINUTE_MS});
    lifecycle = new LocalLifecycleStarter(clock,
      new TrackedPublisher(pubsub(), clock, new Set()), callbacks);
  });

  after(async () => {
    await backend.close();
    await callbacks.close();
    await rm(directory, {recursive: true, force: true});
  });

  // A poll handler over these ports, with a catalog of no zones so that
  // only reconciliation has work.
  function pollHandler(logger = createMemoryLogger(), graceMs?: number) {
    const poll = createIntensityPolls({
      catalog: {...loadRegionCatalog(), regions: []},
      signals: new ReplayProvider({clock}),
      ledger: new FileLedger({
        ledgerDirectory: path.join(directory, 'ledger'),
      }),
      blobs,
      clock,
      logger,
      training,
      publisher: new TrackedPublisher(pubsub(), clock, new Set()),
      reconciliation: {lifecycle, projectId: projectId(), pollSeconds: 1800,
        ...(graceMs === undefined ? {} : {graceMs})},
    });
    return {poll, logger};
  }

  function pollEvent(id: string): CloudEvent<MessagePublishedData> {
    return {
      specversion: '1.0',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: `//pubsub.googleapis.com/projects/${projectId()}/topics/` +
        'intensity-polls',
      id,
      data: {
        message: {data: Buffer.from('{}').toString('base64'), messageId: id},
        subscription: `projects/${projectId()}/subscriptions/polls`,
      },
    } as CloudEvent<MessagePublishedData>;
  }

  // Lets virtual time pass, trainers stepping meanwhile.
  async function advance(milliseconds: number): Promise<void> {
    let reached = false;
    void clock.sleepUntil(clock.nowMs() + milliseconds)
      .then(() => { reached = true; });
    await clock.run(() => reached);
  }

  async function pullOneJobEvent(): Promise<Record<string, unknown>> {
    const config = await pubsub().getClientConfig();
    const client = new v1.SubscriberClient(
      config as ConstructorParameters<typeof v1.SubscriberClient>[0]);
    try {
      const subscription = client.subscriptionPath(projectId(),
        'events-probe');
      const [response] = await client.pull({subscription, maxMessages: 1});
      const received = response.receivedMessages![0]!;
      await client.acknowledge({subscription, ackIds: [received.ackId!]});
      return JSON.parse(
        Buffer.from(received.message!.data as Uint8Array).toString());
    } finally {
      await client.close();
    }
  }

  it('adopts a running segment whose execution is gone, only once',
    async () => {
      // A running job whose segment trains with no execution watching it.
      const name = training.segmentName(JOB_ID, 0);
      await blobs.write(jobKeys.request(JOB_ID), JSON.stringify({
        jobId: JOB_ID,
        constraints: {deadline: new Date(START_MS + 24 * 3_600_000)
          .toISOString()},
      }));
      await writeSnapshot(blobs, {
        jobId: JOB_ID, state: 'running', submittedAtMs: START_MS,
        updatedAtMs: START_MS, lastSequence: 3, decisions: [],
        segments: [{index: 0, regionId: 'us-central1', trainingJobName: name,
          launchedAtMs: START_MS}],
      });
      await training.launch({
        jobId: JOB_ID, segmentIndex: 0, regionId: 'us-central1',
        maxSteps: 1000, checkpointEverySteps: 2, seed: 7,
        machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_TESLA_A100',
        acceleratorCount: 1, expectedRunSeconds: 3600,
      });
      await advance(15 * MINUTE_MS);
      assert.equal((await training.describe(name)).state,
        'JOB_STATE_RUNNING');
      assert.deepEqual(await lifecycle.listLive(), []);

      // The first poll starts an adopting execution and says so.
      const first = pollHandler();
      await first.poll(pollEvent('poll-1'));
      const live = await lifecycle.listLive();
      assert.deepEqual(live.map((execution) => execution.executionName),
        [`local-executions/${JOB_ID}/adopt-0-3`]);
      const event = await pullOneJobEvent();
      assert.equal(event.event, 'adopted');
      assert.equal(event.jobId, JOB_ID);
      assert.equal(event.trainingJobName, name);

      // The second poll finds it watched and does nothing.
      const second = pollHandler();
      await second.poll(pollEvent('poll-2'));
      assert.deepEqual(await lifecycle.listLive(), live);
      assert.deepEqual(second.logger.entries
        .filter((entry) => entry.message === 'reconciliation done')
        .map((entry) => (entry.fields as {actions: string[]}).actions),
      [[]]);
    });

  it('checkpoints and cancels a segment of a finished job, and fails an ' +
    'execution whose segment vanished', async () => {
    // A segment still training for a job that has completed.
    const doneName = training.segmentName('job-done', 0);
    await writeSnapshot(blobs, {
      jobId: 'job-done', state: 'completed', submittedAtMs: START_MS,
      updatedAtMs: START_MS, lastSequence: 9, decisions: [], segments: [],
    });
    await training.launch({
      jobId: 'job-done', segmentIndex: 0, regionId: 'us-central1',
      maxSteps: 1000, checkpointEverySteps: 2, seed: 7,
      machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_TESLA_A100',
      acceleratorCount: 1, expectedRunSeconds: 3600,
    });

    // An execution waiting on a segment that never existed.
    const nowMs = clock.nowMs();
    await writeSnapshot(blobs, {
      jobId: 'job-vanished', state: 'running', submittedAtMs: START_MS,
      updatedAtMs: START_MS, lastSequence: 2, decisions: [],
      segments: [{index: 0, regionId: 'us-central1',
        trainingJobName: 'local/job-vanished/segment-0',
        launchedAtMs: nowMs - 20 * MINUTE_MS}],
    });
    await lifecycle.start({jobId: 'job-vanished', project: projectId(),
      pollSeconds: 1800, maxMonitorPolls: 10, replanIfWaitOverSeconds: 0});

    const {poll, logger} = pollHandler(createMemoryLogger(), 0);
    await poll(pollEvent('poll-4'));
    assert.deepEqual(logger.entries
      .filter((entry) => entry.message === 'reconciliation done')
      .map((entry) => (entry.fields as {actions: string[]}).actions),
    [['checkpoint-and-cancel', 'fail-execution']]);
    const done = await training.describe(doneName);
    assert.equal(done.state, 'JOB_STATE_CANCELLED');
    assert.notEqual(done.lastCheckpointStep, null);
    const vanished = JSON.parse(
      (await blobs.read(jobKeys.snapshot('job-vanished')))!.toString());
    assert.equal(vanished.state, 'failed');
    assert.match(vanished.failureReason, /no longer exists/);
    const events = [await pullOneJobEvent(), await pullOneJobEvent()];
    assert.deepEqual(events.map((event) => event.event).sort(),
      ['checkpointed-and-cancelled', 'execution-failed']);
  });

  it('logs that reconciliation is unavailable without a lifecycle port',
    async () => {
      const logger = createMemoryLogger();
      const poll = createIntensityPolls({
        catalog: {...loadRegionCatalog(), regions: []},
        signals: new ReplayProvider({clock}),
        ledger: new FileLedger({
          ledgerDirectory: path.join(directory, 'ledger'),
        }),
        blobs, clock, logger, training,
      });
      await poll(pollEvent('poll-3'));
      const entry = logger.entries.find((candidate) =>
        candidate.message === 'reconciliation unavailable');
      assert.deepEqual(entry?.fields, {missing: ['publisher', 'lifecycle']});
    });
});
