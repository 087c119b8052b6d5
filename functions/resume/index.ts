import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `resume`: resumes a job from its last checkpoint.
 * The handler and its clients load on the first event.
 */
cloudEvent('resume', lazyHandler(async () => {
  const {createResume} = await import('./handler.js');
  return createResume(await cloudStepDependencies('resume'));
}));
