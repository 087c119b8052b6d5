import assert from 'node:assert/strict';

import {isSpotPreemption} from '../../../adapters/vertex/preemption-errors.js';

// A CustomJob as getCustomJob returns it, trimmed to what is read.
function customJob(strategy: string | number, message: string) {
  return {
    jobSpec: {scheduling: {strategy}},
    error: {code: 8, message},
  } as never;
}

describe('Spot preemption read from a CustomJob\'s error status', () => {
  it('reads a failed SPOT job whose error speaks of preemption as ' +
    'preempted', () => {
    assert.equal(isSpotPreemption(customJob('SPOT',
      'The replica workerpool0-0 was preempted.'), 'JOB_STATE_FAILED'), true);
  });

  it('reads a failed SPOT job with a STOCKOUT error as preempted', () => {
    assert.equal(isSpotPreemption(customJob(4,
      'Job failed with STOCKOUT error'), 'JOB_STATE_FAILED'), true);
  });

  it('does not read a STANDARD job as preempted, whatever its error', () => {
    assert.equal(isSpotPreemption(customJob('STANDARD',
      'was preempted'), 'JOB_STATE_FAILED'), false);
  });

  it('does not read a SPOT job that failed for another reason as ' +
    'preempted', () => {
    assert.equal(isSpotPreemption(customJob('SPOT',
      'The replica workerpool0-0 exited with a non-zero status of 1.'),
      'JOB_STATE_FAILED'), false);
  });

  it('does not read a job that has not failed as preempted', () => {
    assert.equal(isSpotPreemption(customJob('SPOT', 'preempted'),
      'JOB_STATE_CANCELLED'), false);
  });
});
