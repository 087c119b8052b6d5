import {cloudEvent} from '@google-cloud/functions-framework';
import {cloudFetchForecastsDependencies} from
  '../../adapters/cloud/cloud-dependencies.js';
import {lazyHandler} from '../../adapters/cloud/lazy-handler.js';

/**
 * Cloud entry point `fetchForecasts`: plan requests from `plan-requests`,
 * and the scheduled `intensity-polls` message, which refreshes the
 * forecast cache for every catalog zone, records intensity samples and
 * reconciles jobs, executions and training jobs. The handler and its
 * clients load on the first event.
 */
cloudEvent('fetchForecasts', lazyHandler(async () => {
  const [handlers, polls, dependencies] =
    await Promise.all([
      import('./handler.js'),
      import('./intensity-polls.js'),
      cloudFetchForecastsDependencies(),
    ]);
  return polls.routeFetchForecasts(
    handlers.createFetchForecasts(dependencies),
    polls.createIntensityPolls(dependencies));
}));
