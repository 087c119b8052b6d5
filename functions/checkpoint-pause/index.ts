import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `checkpointPause`: checkpoints and stops a running segment.
 * The handler and its clients load on the first event.
 */
cloudEvent('checkpointPause', lazyHandler(async () => {
  const {createCheckpointPause} = await import('./handler.js');
  return createCheckpointPause(await cloudStepDependencies('checkpoint-pause'));
}));
