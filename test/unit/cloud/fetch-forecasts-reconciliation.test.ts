import assert from 'node:assert/strict';
import {
  cloudFetchForecastsDependencies,
  FUNCTION_NEEDS,
} from '../../../adapters/cloud/cloud-dependencies.js';
import {
  lazyTrainingBackend,
  type ListingTrainingBackend,
} from '../../../adapters/cloud/lazy-training-backend.js';
import {deploymentTrainingRegionIds} from
  '../../../adapters/cloud/training-region-ids.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import type {
  CheckpointMoveRequest,
  LabelledTrainingJob,
} from '../../../shared/ports/training-backend.js';

describe('fetch-forecasts reconciliation wiring in the cloud', () => {
  const saved = {...process.env};
  afterEach(() => {
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) delete process.env[name];
    }
    Object.assign(process.env, saved);
  });

  it('passes the Workflows starter, the project and the poll interval ' +
      'to the poll', async () => {
    Object.assign(process.env, {GOOGLE_CLOUD_PROJECT: 'proj-1',
      STATE_BUCKET: 'state-1', POLL_SECONDS: '600'});
    const dependencies = await cloudFetchForecastsDependencies();
    const {reconciliation} = dependencies;
    assert.equal(reconciliation.projectId, 'proj-1');
    assert.equal(reconciliation.pollSeconds, 600);
    assert.equal(reconciliation.lifecycle, dependencies.lifecycle);
    // Both listings exist without loading either client.
    assert.equal(typeof reconciliation.lifecycle.listLive, 'function');
    assert.equal(typeof dependencies.training.listLabelled, 'function');
    assert.deepEqual(
      FUNCTION_NEEDS['fetch-forecasts']?.filter((need) =>
        need === 'training' || need === 'lifecycle'),
      ['training', 'lifecycle']);
  });

  it('lists labelled jobs through the lazily loaded backend', async () => {
    const job: LabelledTrainingJob = {jobId: 'j-1', segmentIndex: 0,
      trainingJobName: 'projects/p/locations/r/customJobs/1',
      state: 'JOB_STATE_RUNNING', createdAtMs: null};
    let loads = 0;
    const lazy = lazyTrainingBackend(async () => {
      loads += 1;
      return {listLabelled: async () => [job]} as unknown as
        ListingTrainingBackend;
    }, {stepsPerHour: 12, restartOverheadMs: 0});
    assert.equal(loads, 0);
    assert.deepEqual(await lazy.listLabelled(), [job]);
    assert.equal(loads, 1);
  });

  it('moves a checkpoint through the lazily loaded backend', async () => {
    const requests: CheckpointMoveRequest[] = [];
    const lazy = lazyTrainingBackend(async () => ({
      moveCheckpoint: async (request: CheckpointMoveRequest) => {
        requests.push(request);
        return {bytesMoved: 4096};
      },
    }) as unknown as ListingTrainingBackend,
    {stepsPerHour: 12, restartOverheadMs: 0});
    const request = {jobId: 'j-1', fromRegionId: 'us-east4',
      toRegionId: 'europe-west4', step: 30};
    assert.deepEqual(await lazy.moveCheckpoint(request), {bytesMoved: 4096});
    assert.deepEqual(requests, [request]);
  });

  it('looks for labelled jobs only in the regions the deployment may ' +
      'train in', () => {
    const catalog = loadRegionCatalog();
    assert.deepEqual(deploymentTrainingRegionIds(catalog,
      {trainingRegionIds: ['us-central1', 'europe-west4']}),
    ['europe-west4', 'us-central1']);
    const european = deploymentTrainingRegionIds(catalog,
      {deploymentResidency: ['EU']});
    assert.ok(european.includes('europe-west4'));
    assert.ok(!european.includes('us-central1'));
    assert.ok(european.every((regionId) =>
      catalog.require(regionId).acceleratorOffers.length > 0));
  });
});
