import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudIngestDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `ingestJob`: job requests from `job-requests`,
 * intake-bucket notifications from `job-uploads` and operator commands
 * from `job-commands`. The handler and its clients load on the first
 * event.
 */
cloudEvent('ingestJob', lazyHandler(async () => {
  const [{createJobIntake}, {createJobCommandsHandler}, {routeIngestJob},
    dependencies] = await Promise.all([
    import('./object-finalized.js'),
    import('./job-commands.js'),
    import('./route-ingest.js'),
    cloudIngestDependencies(),
  ]);
  return routeIngestJob(createJobIntake(dependencies),
    createJobCommandsHandler(dependencies));
}));
