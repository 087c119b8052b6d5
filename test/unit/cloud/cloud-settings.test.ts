import assert from 'node:assert/strict';
import {readCloudSettings} from '../../../adapters/cloud/cloud-settings.js';
import {SchedulerError} from '../../../shared/errors.js';

const REQUIRED = {GOOGLE_CLOUD_PROJECT: 'proj', STATE_BUCKET: 'state'};

describe('cloud settings', () => {
  it('reads the SPOT preemption counts, zero included', () => {
    const settings = readCloudSettings({...REQUIRED,
      EXPECTED_SPOT_PREEMPTIONS: '0', MAX_SPOT_PREEMPTIONS: '3'});
    assert.equal(settings.scheduler.expectedSpotPreemptions, 0);
    assert.equal(settings.scheduler.maxSpotPreemptions, 3);
  });

  it('leaves the SPOT counts to the product defaults when unset', () => {
    const settings = readCloudSettings(REQUIRED);
    assert.equal(settings.scheduler.expectedSpotPreemptions, undefined);
    assert.equal(settings.scheduler.maxSpotPreemptions, undefined);
  });

  it('names the variable of a count that is not a whole number', () => {
    assert.throws(() => readCloudSettings({...REQUIRED,
      MAX_SPOT_PREEMPTIONS: '1.5'}), (error: unknown) =>
      error instanceof SchedulerError && error.retryable &&
      /MAX_SPOT_PREEMPTIONS is "1\.5".*whole number from 0 to 100/
        .test(error.message));
  });
});
