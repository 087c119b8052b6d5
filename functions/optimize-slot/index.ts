import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `optimizeSlot`: chooses region and start for a plan
 * request.
 * The handler and its clients load on the first event.
 */
cloudEvent('optimizeSlot', lazyHandler(async () => {
  const {createOptimizeSlot} = await import('./handler.js');
  return createOptimizeSlot(await cloudStepDependencies('optimize-slot'));
}));
