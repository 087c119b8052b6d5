import assert from 'node:assert/strict';
import {
  cloudStepDependencies,
  FUNCTION_NEEDS,
} from '../../../adapters/cloud/cloud-dependencies.js';
import {CloudQuotasChecker} from
  '../../../adapters/quotas/cloud-quotas-checker.js';

describe('optimize-slot quota wiring in the cloud', () => {
  const saved = {...process.env};
  afterEach(() => {
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) delete process.env[name];
    }
    Object.assign(process.env, saved);
  });

  it('gives optimize-slot a Cloud Quotas checker and the other steps none',
    async () => {
      Object.assign(process.env, {GOOGLE_CLOUD_PROJECT: 'proj-quotas',
        STATE_BUCKET: 'state-quotas',
        TRAINING_SERVICE_ACCOUNT: 'trainer@proj-quotas.iam.gserviceaccount.com',
        CHECKPOINT_BUCKET_PREFIX: 'checkpoints-quotas'});
      const optimize = await cloudStepDependencies('optimize-slot');
      assert.ok(optimize.quotas instanceof CloudQuotasChecker);
      const monitor = await cloudStepDependencies('monitor-intensity');
      assert.equal(monitor.quotas, undefined);
      assert.deepEqual(Object.entries(FUNCTION_NEEDS)
        .filter(([, needs]) => needs.includes('quotas'))
        .map(([name]) => name), ['optimize-slot']);
    });
});
