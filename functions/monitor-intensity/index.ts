import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `monitorIntensity`: decides continue or pause for a
 * running segment.
 * The handler and its clients load on the first event.
 */
cloudEvent('monitorIntensity', lazyHandler(async () => {
  const {createMonitorIntensity} = await import('./handler.js');
  const dependencies = await cloudStepDependencies('monitor-intensity');
  return createMonitorIntensity(dependencies);
}));
