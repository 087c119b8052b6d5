import {cloudEvent} from '@google-cloud/functions-framework';
import {
  cloudIngestDependencies,
  cloudStepDependencies,
} from '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `ingestJob`: job requests from `job-requests`,
 * intake-bucket notifications from `job-uploads` and operator commands
 * from `job-commands`. The handler and its clients load on the first
 * event; the command handler also takes the ledger writer of the
 * function's step ports (built once per instance, its client loaded on
 * the first row).
 */
cloudEvent('ingestJob', lazyHandler(async () => {
  const [{createJobIntake}, {createJobCommandsHandler}, {routeIngestJob},
    dependencies, step] = await Promise.all([
    import('./object-finalized.js'),
    import('./job-commands.js'),
    import('./route-ingest.js'),
    cloudIngestDependencies(),
    cloudStepDependencies('ingest-job'),
  ]);
  return routeIngestJob(createJobIntake(dependencies),
    createJobCommandsHandler({...dependencies, ledger: step.ledger}));
}));
