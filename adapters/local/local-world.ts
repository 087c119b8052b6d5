import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import type {PubSub} from '@google-cloud/pubsub';
import {createCheckpointPause} from '../../functions/checkpoint-pause/handler.js';
import type {SchedulerSettings} from '../../functions/dependencies.js';
import {createFetchForecasts} from '../../functions/fetch-forecasts/handler.js';
import {createJobCommandsHandler} from
  '../../functions/ingest-job/job-commands.js';
import {createJobIntake} from '../../functions/ingest-job/object-finalized.js';
import {routeIngestJob} from '../../functions/ingest-job/route-ingest.js';
import {
  createIntensityPolls,
  routeFetchForecasts,
} from '../../functions/fetch-forecasts/intensity-polls.js';
import {createLaunchTraining} from '../../functions/launch-training/handler.js';
import {createMonitorIntensity} from '../../functions/monitor-intensity/handler.js';
import {createOptimizeSlot} from '../../functions/optimize-slot/handler.js';
import {createRecordFootprint} from '../../functions/record-footprint/handler.js';
import {FUNCTIONS} from '../../functions/registry.js';
import {createResume} from '../../functions/resume/handler.js';
import {loadRegionCatalog} from '../../shared/catalog/region-catalog.js';
import type {Logger} from '../../shared/ports/logger.js';
import {ReplayProvider} from '../../shared/signals/replay-provider.js';
import {HttpCallbackSender} from '../function-runtime/http-callback-sender.js';
import type {CallbackSender} from '../../shared/ports/callback-sender.js';
import {ensureTopology} from '../pubsub/topology.js';
import {DirectoryBlobStore} from './directory-blob-store.js';
import {FileQuotaChecker} from './file-quota-checker.js';
import {createEmulatorPubSub} from './emulator-pubsub.js';
import {FunctionHost, type PubSubHandler} from './function-host.js';
import {watchIntakeFolder} from './intake-folder-watcher.js';
import {scheduleIntensityPolls} from './intensity-poll-schedule.js';
import {FileLedger} from './ledger/file-ledger.js';
import {LocalLifecycleStarter} from './local-lifecycle-starter.js';
import {LocalTrainingBackend} from './local-training-backend.js';
import {LocalTrainingPort} from './local-training-port.js';
import type {LocalTrainerFaults} from './local-training-port.js';
import {startPubSubEmulator, type RunningEmulator} from './pubsub-emulator.js';
import {TrackedPublisher} from './tracked-publisher.js';
import {VirtualClock} from './virtual-clock.js';
import {CallbackServer} from './workflow-runner/callback-server.js';

/** How the local world is set up. */
export interface LocalWorldOptions {
  /** The virtual instant the run starts at. */
  readonly startMs: number;
  /** Folder for blobs, checkpoints and the ledger of this run. */
  readonly runDirectory: string;
  readonly logger: Logger;
  /** Most virtual ms per real ms (0: as fast as the components allow). */
  readonly maxSpeed?: number;
  /** Replay forecasts that see the future (for comparisons only). */
  readonly oracle?: boolean;
  /** An emulator already running (host:port); else one is started. */
  readonly emulatorAddress?: string;
  readonly projectId?: string;
  readonly settings?: Partial<SchedulerSettings>;
  readonly stepsPerHour?: number;
  readonly restartOverheadMs?: number;
  /** Replaces the HTTP reply sender (fault-injection tests). */
  readonly callbackSender?: CallbackSender;
  /** Makes local trainers die on purpose (fault-injection tests). */
  readonly trainerFaults?: LocalTrainerFaults;
  /**
   * Virtual seconds between scheduled `intensity-polls` messages
   * (forecast refresh and reconciliation), as Cloud Scheduler publishes
   * them; absent: none are published.
   */
  readonly intensityPollSeconds?: number;
  /**
   * A JSON file of accelerator limits per region (see FileQuotaChecker)
   * that optimize-slot checks before choosing a region; absent: quota is
   * not checked.
   */
  readonly quotasFile?: string;
}

/** Everything a local run holds, and how to take it down. */
export interface LocalWorld {
  readonly clock: VirtualClock;
  readonly pubsub: PubSub;
  readonly publisher: TrackedPublisher;
  readonly lifecycle: LocalLifecycleStarter;
  readonly blobs: DirectoryBlobStore;
  readonly ledger: FileLedger;
  readonly training: LocalTrainingBackend;
  readonly settings: SchedulerSettings;
  readonly signals: ReplayProvider;
  close(): Promise<void>;
}

/** Defaults of local runs; the cloud reads the same fields. */
export const LOCAL_SETTINGS: SchedulerSettings = {
  pollSeconds: 1800,
  checkpointOverheadMs: 2 * 60_000,
  gpuUtilisationFraction: 0.9,
};

/**
 * Brings up the whole system on this machine: the real Pub/Sub emulator
 * with the design's topics and push subscriptions, the eight functions on
 * functions-framework servers, the local workflow runner, real trainer
 * processes, replayed grid data and a file ledger, all on one virtual
 * clock. Whatever fails, what was started is stopped.
 */
export async function startLocalWorld(
  options: LocalWorldOptions,
): Promise<LocalWorld> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    return await assemble(options, closers, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function assemble(
  options: LocalWorldOptions,
  closers: (() => Promise<void>)[],
  close: () => Promise<void>,
): Promise<LocalWorld> {
  const projectId = options.projectId ?? 'carbon-scheduler-local';
  const settings = {...LOCAL_SETTINGS, ...options.settings};

  // Step 1: the emulator and a client for it.
  let address = options.emulatorAddress;
  if (!address) {
    const emulator: RunningEmulator = await startPubSubEmulator();
    closers.push(() => emulator.stop());
    address = emulator.address;
  }
  const pubsub = createEmulatorPubSub(address, projectId);
  closers.push(() => pubsub.close());

  // Step 2: time, storage, grid data and training.
  const clock = new VirtualClock(options.startMs, {
    maxSpeed: options.maxSpeed ?? 0,
  });
  await mkdir(options.runDirectory, {recursive: true});
  const blobs = new DirectoryBlobStore(path.join(options.runDirectory, 'blobs'));
  const intake = new DirectoryBlobStore(path.join(options.runDirectory, 'intake'));
  const ledger = new FileLedger({
    ledgerDirectory: path.join(options.runDirectory, 'ledger'),
  });
  // TODO(signals): the demo replays 2022 only and `plan` 2021-2022
  // (cli/plan-signals.ts), so their source names differ and so do plans
  // issued before late March 2022 (the forecaster reads about 12 weeks
  // back); replay one trace set in both once those numbers may change.
  const signals = new ReplayProvider({
    clock,
    forecaster: options.oracle ? 'oracle' : 'honest',
  });
  const training = new LocalTrainingBackend({clock, logger: options.logger});
  closers.push(() => training.close());
  const trainingPort = new LocalTrainingPort(
    training,
    path.join(options.runDirectory, 'training'),
    {
      stepsPerHour: options.stepsPerHour ?? 12,
      restartOverheadMs: options.restartOverheadMs ?? 5 * 60_000,
    },
    options.trainerFaults,
  );

  // Step 3: messaging, callbacks and the workflow runner.
  const handledTopics = new Set<string>(FUNCTIONS.flatMap((f) => f.topics));
  const publisher = new TrackedPublisher(pubsub, clock, handledTopics);
  const callbacks = new CallbackServer({clock});
  await callbacks.start();
  closers.push(() => callbacks.close());
  const lifecycle = new LocalLifecycleStarter(clock, publisher, callbacks);

  // Step 4: the eight functions, each on its own server, then the topology.
  const dependencies = {
    clock,
    blobs,
    publisher,
    callbacks: options.callbackSender ?? new HttpCallbackSender(),
    logger: options.logger,
    catalog: loadRegionCatalog(),
    signals,
    training: trainingPort,
    ledger,
    settings,
    ...(options.quotasFile !== undefined
      ? {quotas: new FileQuotaChecker(options.quotasFile)}
      : {}),
  };
  const handlers: Record<string, PubSubHandler> = {
    'ingest-job': routeIngestJob(
      createJobIntake({
        clock, blobs, intake, publisher, lifecycle, ledger,
        logger: options.logger, projectId, pollSeconds: settings.pollSeconds,
      }),
      createJobCommandsHandler({clock, blobs, publisher, ledger,
        logger: options.logger})),
    'fetch-forecasts': routeFetchForecasts(
      createFetchForecasts(dependencies),
      createIntensityPolls({...dependencies, reconciliation: {
        lifecycle, projectId, pollSeconds: settings.pollSeconds}})),
    'optimize-slot': createOptimizeSlot(dependencies),
    'launch-training': createLaunchTraining(dependencies),
    'monitor-intensity': createMonitorIntensity(dependencies),
    'checkpoint-pause': createCheckpointPause(dependencies),
    resume: createResume(dependencies),
    'record-footprint': createRecordFootprint(dependencies),
  };
  const host = new FunctionHost((messageId) => publisher.settle(messageId));
  closers.push(() => host.close());
  const baseUrls: Record<string, string> = {};
  for (const definition of FUNCTIONS) {
    const hosted = await host.serve(definition.name, definition.entryPoint,
      handlers[definition.name]!);
    baseUrls[definition.name] = hosted.baseUrl;
  }
  await ensureTopology(pubsub, baseUrls);

  // Step 5: a file dropped in the run's intake folder takes the upload
  // path, as a file uploaded to the intake bucket does.
  const watcher = watchIntakeFolder({
    folder: path.join(options.runDirectory, 'intake'),
    publisher,
    logger: options.logger,
  });
  closers.push(async () => watcher.close());

  // Step 6: the scheduled poll, when asked for.
  if (options.intensityPollSeconds !== undefined) {
    const schedule = scheduleIntensityPolls({
      clock, publisher, logger: options.logger,
      intervalMs: options.intensityPollSeconds * 1000,
    });
    closers.push(async () => schedule.stop());
  }

  return {
    clock, pubsub, publisher, lifecycle, blobs, ledger, training, settings,
    signals, close,
  };
}
