import type {SchedulerDependencies} from '../../functions/dependencies.js';
import type {PollReconciliation} from
  '../../functions/fetch-forecasts/intensity-polls.js';
import type {IngestJobDependencies} from
  '../../functions/ingest-job/handler.js';
import type {RegionCatalog} from '../../shared/catalog/region-catalog.js';
import type {BlobStore} from '../../shared/ports/blob-store.js';
import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';
import type {LifecycleStarter} from '../../shared/ports/lifecycle-starter.js';
import type {QuotaChecker} from '../../shared/ports/quota-checker.js';
import {createJsonLogger} from '../../shared/ports/logger.js';
import type {TrainingBackend} from '../../shared/ports/training-backend.js';
import type {CarbonSignalProvider} from
  '../../shared/signals/carbon-signal-provider.js';
import {systemClock} from '../../shared/time/clock.js';
import {lazyGcsBlobStore} from '../gcs/lazy-gcs-blob-store.js';
import {createFunctionPubSub} from '../pubsub/function-pubsub.js';
import {PubSubPublisher} from '../pubsub/pubsub-publisher.js';
import {
  loadLedgerWriter,
  loadLifecycleStarter,
  loadSignalProvider,
  loadTrainingBackend,
  type CloudAdapterContext,
} from './cloud-adapters.js';
import {readCloudSettings} from './cloud-settings.js';
import {lazyCallbackSender} from './lazy-callback-sender.js';
import {lazyRegionCatalog} from './lazy-region-catalog.js';
import {unavailablePort, unwiredPort} from './unwired-port.js';

/** The step ports plus the lifecycle starter ingest-job uses. */
export interface CloudDependencies extends SchedulerDependencies {
  readonly lifecycle: LifecycleStarter;
}

/** Ports whose clients are heavy, loaded only where a function needs them. */
export type CloudNeed =
  | 'training'
  | 'ledger'
  | 'lifecycle'
  | 'signals'
  | 'catalog'
  | 'quotas';

/** What each function's cloud entry point loads on its first event. */
export const FUNCTION_NEEDS: Readonly<Record<string, readonly CloudNeed[]>> = {
  'ingest-job': ['lifecycle', 'ledger'],
  // Training and lifecycle for the poll's reconciliation; both clients
  // load on the first poll that reconciles, not on a plan request.
  'fetch-forecasts': ['catalog', 'signals', 'ledger', 'training',
    'lifecycle'],
  'optimize-slot': ['training', 'quotas', 'ledger'],
  'launch-training': ['training'],
  'monitor-intensity': ['training', 'signals', 'catalog', 'ledger'],
  'checkpoint-pause': ['training'],
  resume: ['training'],
  'record-footprint': ['training', 'catalog', 'signals', 'ledger'],
};

const built = new Map<string, Promise<CloudDependencies>>();

/**
 * The ports of one step function in the cloud, built once per instance
 * on its first event: Pub/Sub, the state bucket and authorised callbacks
 * (their clients loaded on first use), and only the heavy clients listed
 * in {@link FUNCTION_NEEDS}. A failed
 * build is forgotten, so the next delivery tries again.
 */
export function cloudStepDependencies(
  functionName: string,
): Promise<CloudDependencies> {
  let promise = built.get(functionName);
  if (!promise) {
    promise = buildStepDependencies(functionName);
    built.set(functionName, promise);
    promise.catch(() => built.delete(functionName));
  }
  return promise;
}

/** The ports of ingest-job in the cloud (adds the intake bucket). */
export async function cloudIngestDependencies(): Promise<
  IngestJobDependencies
> {
  const step = await cloudStepDependencies('ingest-job');
  const settings = readCloudSettings();
  const intake = settings.intakeBucket
    ? lazyGcsBlobStore(settings.intakeBucket, {
      projectId: settings.projectId,
    })
    : unwiredPort<BlobStore>('intake bucket (set INTAKE_BUCKET)',
      'ingest-job');
  return {
    clock: step.clock,
    blobs: step.blobs,
    intake,
    publisher: step.publisher,
    lifecycle: step.lifecycle,
    logger: step.logger,
    ledger: step.ledger,
    projectId: settings.projectId,
    pollSeconds: step.settings.pollSeconds,
  };
}

/**
 * The ports of fetch-forecasts in the cloud, with what its scheduled poll
 * reconciles through: the Workflows starter, the project and the poll
 * interval of the cloud settings.
 */
export async function cloudFetchForecastsDependencies(): Promise<
  CloudDependencies & {readonly reconciliation: PollReconciliation}
> {
  const step = await cloudStepDependencies('fetch-forecasts');
  return {
    ...step,
    reconciliation: {
      lifecycle: step.lifecycle,
      projectId: readCloudSettings().projectId,
      pollSeconds: step.settings.pollSeconds,
    },
  };
}

async function buildStepDependencies(
  functionName: string,
): Promise<CloudDependencies> {
  // Step 1: settings, logging and the clients every function uses.
  const settings = readCloudSettings();
  const logger = createJsonLogger(functionName);
  const clock = systemClock;
  const pubsub = await createFunctionPubSub(settings.projectId);
  // The Storage client and the callback HTTP client load on first use,
  // so a message refused before it reaches the bucket pays for neither.
  const blobs = lazyGcsBlobStore(settings.stateBucket, {
    projectId: settings.projectId,
  });
  const callbacks = lazyCallbackSender(async () => {
    const token = await pubsub.auth.getAccessToken();
    if (!token) throw new Error('no access token for the workflow callback');
    return token;
  });

  // Step 2: the heavy ports this function needs, the others unwired; an
  // adapter that cannot be built fails only the messages that use it.
  const needs = new Set(FUNCTION_NEEDS[functionName] ?? []);
  const context: CloudAdapterContext = {
    settings, logger, clock, environment: process.env,
  };
  const port = async <T extends object>(
    need: CloudNeed,
    load: () => Promise<T>,
  ): Promise<T> => {
    if (!needs.has(need)) return unwiredPort<T>(need, functionName);
    try {
      return await load();
    } catch (error) {
      logger.log('ERROR', 'cloud adapter unavailable', {
        function: functionName, port: need, error: (error as Error).message,
      });
      return unavailablePort<T>(error);
    }
  };
  const catalog = await port<RegionCatalog>('catalog', async () => {
    const {loadRegionCatalog} = await import(
      '../../shared/catalog/region-catalog.js');
    return lazyRegionCatalog(loadRegionCatalog);
  });
  const training = await port<TrainingBackend>('training',
    async () => loadTrainingBackend(context));
  const ledger = await port<LedgerWriter>('ledger',
    async () => loadLedgerWriter(context));
  const lifecycle = await port<LifecycleStarter>('lifecycle',
    () => loadLifecycleStarter(context));
  const signals = await port<CarbonSignalProvider>('signals',
    () => loadSignalProvider(context));
  // Quota is optional: absent where not needed rather than an unwired
  // port. The Cloud Quotas client loads on the first listing, cached an
  // hour per instance; a checker that cannot be built answers "quota
  // unknown" and the region is kept, with a warning.
  const quotas = needs.has('quotas')
    ? await port<QuotaChecker>('quotas', async () => {
      const {CloudQuotasChecker} = await import(
        '../quotas/cloud-quotas-checker.js');
      return new CloudQuotasChecker({projectId: settings.projectId, clock});
    })
    : undefined;

  return {
    clock,
    blobs,
    publisher: new PubSubPublisher(pubsub),
    callbacks,
    logger,
    catalog,
    signals,
    training,
    ledger,
    settings: settings.scheduler,
    lifecycle,
    ...(quotas ? {quotas} : {}),
  };
}
