import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudStepDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `recordFootprint`: writes a job's footprint rows to
 * the ledger.
 * The handler and its clients load on the first event.
 */
cloudEvent('recordFootprint', lazyHandler(async () => {
  const {createRecordFootprint} = await import('./handler.js');
  return createRecordFootprint(await cloudStepDependencies('record-footprint'));
}));
