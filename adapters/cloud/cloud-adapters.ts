import {SchedulerError} from '../../shared/errors.js';
import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';
import type {LifecycleStarter} from '../../shared/ports/lifecycle-starter.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {TrainingBackend} from '../../shared/ports/training-backend.js';
import type {CarbonSignalProvider} from
  '../../shared/signals/carbon-signal-provider.js';
import type {Clock} from '../../shared/time/clock.js';
import type {createBigQueryLedgerWriter} from
  '../bigquery/bigquery-ledger-writer.js';
import type {createVertexTrainingBackend} from
  '../vertex/vertex-training-backend.js';
import type {createWorkflowsLifecycleStarter} from
  '../workflows/workflows-lifecycle-starter.js';
import type {CloudSettings} from './cloud-settings.js';
import {lazyLedgerWriter} from './lazy-ledger-writer.js';
import {lazyTrainingBackend} from './lazy-training-backend.js';
import {
  loadAdapterFactory,
  type AdapterModule,
} from './optional-adapter.js';

/** What the cloud adapters are built from. */
export interface CloudAdapterContext {
  readonly settings: CloudSettings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly environment: NodeJS.ProcessEnv;
}

/** Modules built alongside, and the factory each must export. */
export const CLOUD_ADAPTERS = {
  training: {
    specifier: '../vertex/vertex-training-backend.js',
    exportName: 'createVertexTrainingBackend',
    load: () => import('../vertex/vertex-training-backend.js'),
  },
  lifecycle: {
    specifier: '../workflows/workflows-lifecycle-starter.js',
    exportName: 'createWorkflowsLifecycleStarter',
    load: () => import('../workflows/workflows-lifecycle-starter.js'),
  },
  ledger: {
    specifier: '../bigquery/bigquery-ledger-writer.js',
    exportName: 'createBigQueryLedgerWriter',
    load: () => import('../bigquery/bigquery-ledger-writer.js'),
  },
} as const satisfies Record<string, AdapterModule>;

/** Lifecycle executions on Cloud Workflows. */
export async function loadLifecycleStarter(
  context: CloudAdapterContext,
): Promise<LifecycleStarter> {
  const create = await loadAdapterFactory<
    typeof createWorkflowsLifecycleStarter
  >(CLOUD_ADAPTERS.lifecycle);
  return create({
    project: context.settings.projectId,
    location: context.settings.workflowLocation,
    workflow: context.settings.lifecycleWorkflow,
    logger: context.logger,
  });
}

/** The ledger in BigQuery, its client loaded on the first append. */
export function loadLedgerWriter(context: CloudAdapterContext): LedgerWriter {
  return lazyLedgerWriter(async () => {
    const create = await loadAdapterFactory<
      typeof createBigQueryLedgerWriter
    >(CLOUD_ADAPTERS.ledger);
    return create({
      datasetId: context.settings.ledgerDataset,
      projectId: context.settings.projectId,
      logger: context.logger,
    });
  });
}

/** Segment rate and restart cost, the same the Vertex adapter is given. */
export function trainingRates(environment: NodeJS.ProcessEnv): {
  stepsPerHour: number;
  restartOverheadMs: number;
} {
  return {
    stepsPerHour: Number(environment.TRAINING_STEPS_PER_HOUR ?? 12),
    restartOverheadMs:
      Number(environment.RESTART_OVERHEAD_SECONDS ?? 300) * 1000,
  };
}

/**
 * Training on Vertex AI CustomJobs, its client loaded on first use.
 * Reads TRAINING_SERVICE_ACCOUNT, CHECKPOINT_BUCKET_PREFIX (bucket
 * `<prefix>-<region>` per region), TRAINING_STEPS_PER_HOUR and
 * RESTART_OVERHEAD_SECONDS. Labelled jobs are listed in the regions the
 * deployment may train in (TRAINING_REGIONS, RESIDENCY).
 */
export function loadTrainingBackend(
  context: CloudAdapterContext,
): TrainingBackend {
  const {environment} = context;
  const rates = trainingRates(environment);
  return lazyTrainingBackend(async () => {
    const create = await loadAdapterFactory<
      typeof createVertexTrainingBackend
    >(CLOUD_ADAPTERS.training);
    const serviceAccount = requiredVariable(environment,
      'TRAINING_SERVICE_ACCOUNT', 'service account the CustomJobs run as');
    const bucketPrefix = requiredVariable(environment,
      'CHECKPOINT_BUCKET_PREFIX',
      'prefix of the per-region checkpoint buckets');
    const [
      {Storage},
      {createGcsObjectStore},
      {loadRegionCatalog},
      {deploymentTrainingRegionIds},
    ] = await Promise.all([
      import('@google-cloud/storage'),
      import('../gcs-checkpoints/gcs-object-store.js'),
      import('../../shared/catalog/region-catalog.js'),
      import('./training-region-ids.js'),
    ]);
    const catalog = loadRegionCatalog();
    return create({
      project: context.settings.projectId,
      serviceAccount,
      checkpointBucketFor: (regionId) => `${bucketPrefix}-${regionId}`,
      objects: createGcsObjectStore(
        new Storage({projectId: context.settings.projectId})),
      catalog,
      trainingRegionIds: deploymentTrainingRegionIds(catalog,
        context.settings.scheduler),
      ...rates,
      clock: context.clock,
      logger: context.logger,
    });
  }, rates);
}

/**
 * The carbon-signal providers named by CARBON_SIGNAL_PROVIDERS (comma
 * separated, first first; default `electricitymaps,static`).
 */
export async function loadSignalProvider(
  context: CloudAdapterContext,
): Promise<CarbonSignalProvider> {
  const [{createProviderChain}, {parseProviderList}] = await Promise.all([
    import('../signals-wiring/signal-provider-factory.js'),
    import('../signals-wiring/provider-names.js'),
  ]);
  const names = parseProviderList('CARBON_SIGNAL_PROVIDERS',
    context.environment.CARBON_SIGNAL_PROVIDERS ?? 'electricitymaps,static');
  return createProviderChain(names, {
    clock: context.clock,
    environment: context.environment,
    logger: context.logger,
  });
}

function requiredVariable(
  environment: NodeJS.ProcessEnv,
  name: string,
  meaning: string,
): string {
  const value = environment[name]?.trim();
  if (!value) {
    throw new SchedulerError('missing-setting',
      `environment variable ${name} is not set; set it to the ${meaning}`,
      {retryable: true});
  }
  return value;
}
