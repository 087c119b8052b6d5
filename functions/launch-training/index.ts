import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `launchTraining`: launches a planned training segment.
 * The handler and its clients load on the first event.
 */
cloudEvent('launchTraining', lazyHandler(async () => {
  const {createLaunchTraining} = await import('./handler.js');
  return createLaunchTraining(await cloudStepDependencies('launch-training'));
}));
