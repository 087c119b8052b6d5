import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createDirectoryObjectStore} from
  '../../../adapters/gcs-checkpoints/directory-object-store.js';
import {createVertexTrainingBackend} from
  '../../../adapters/vertex/vertex-training-backend.js';
import type {SchedulerDependencies} from '../../../functions/dependencies.js';
import {
  fallbackRegions,
  launchWithCapacityFallback,
} from '../../../functions/launch-training/capacity-fallback.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import type {JobSnapshot} from '../../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {TrainingSegmentRequest} from
  '../../../shared/ports/training-backend.js';
import {AiplatformStandIn, SteppingClock} from './aiplatform-stand-in.js';

const considered = (regionId: string, grams: number | null) => ({
  regionId, bestStartMs: 0, averageGramsPerKilowattHour: null,
  expectedEmissionsGrams: grams, eligibleStarts: 1,
});

const plan = {
  regionsConsidered: [
    considered('europe-west4', 9_000),
    considered('us-east4', 12_000),
    considered('europe-north1', 3_000),
    considered('us-central1', 5_000),
  ],
} as unknown as StoredPlan;

const request: TrainingSegmentRequest = {
  jobId: 'j-42', segmentIndex: 0, regionId: 'europe-north1',
  maxSteps: 240, checkpointEverySteps: 24, seed: 7,
  machineType: 'a3-highgpu-8g', acceleratorType: 'NVIDIA_H100_80GB',
  acceleratorCount: 8, imageUri: 'image', args: [],
  expectedRunSeconds: 36_000,
};

describe('launch in the next region on a capacity error ' +
    '(aiplatform client stand-in)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'capacity-fallback-'));
  });
  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  it('orders the other planned regions by expected emissions and leaves ' +
      'out those without the accelerator', () => {
    const catalog = loadRegionCatalog();
    const withH100 = (id: string) => catalog.get(id)?.accelerators
      .includes('NVIDIA_H100_80GB') ?? false;
    const regions = fallbackRegions(plan, 'europe-north1',
      'NVIDIA_H100_80GB', {catalog});
    assert.equal(regions[0], 'europe-north1');
    assert.deepEqual(regions.slice(1), ['us-central1', 'europe-west4',
      'us-east4'].filter(withH100));
  });

  it('moves to the next region on RESOURCE_EXHAUSTED and records why',
    async () => {
      const clock = new SteppingClock(Date.parse('2025-03-01T10:00:00Z'));
      const standIns = new Map<string, AiplatformStandIn>();
      const clientFor = (regionId: string) => {
        if (!standIns.has(regionId)) {
          standIns.set(regionId, new AiplatformStandIn('p', regionId, clock));
        }
        return standIns.get(regionId)!;
      };
      const catalog = loadRegionCatalog();
      const regions = fallbackRegions(plan, 'europe-north1',
        'NVIDIA_H100_80GB', {catalog});
      assert.ok(regions.length >= 2, 'a second region offers the H100');
      const [first, second] = regions as [string, string];
      // The first region is out of H100s.
      clientFor(first).createError = Object.assign(new Error(
        '8 RESOURCE_EXHAUSTED: The zone does not have enough resources ' +
          'available to fulfill the request'), {code: 8});

      const training = createVertexTrainingBackend({
        project: 'p', serviceAccount: 'sa@p.iam.gserviceaccount.com',
        checkpointBucketFor: (regionId) => `ckpt-${regionId}`,
        objects: createDirectoryObjectStore(root), catalog,
        stepsPerHour: 24, restartOverheadMs: 0, clock, clientFor,
      });
      const logger = createMemoryLogger();
      const dependencies = {training, catalog, clock, logger} as unknown as
        SchedulerDependencies;
      const snapshot = {jobId: 'j-42', decisions: [], segments: []} as
        unknown as JobSnapshot;

      const launched = await launchWithCapacityFallback(dependencies,
        snapshot, plan, {...request, regionId: first});
      assert.equal(launched.regionId, second);
      assert.match(launched.name,
        new RegExp(`^projects/p/locations/${second}/customJobs/`));
      assert.equal(clientFor(second).callsOf('createCustomJob').length, 1);
      assert.equal(snapshot.decisions.length, 1);
      const decision = snapshot.decisions[0]!;
      assert.equal(decision.decision, 'region-unavailable');
      assert.match(decision.reason, /stockout/);
      assert.deepEqual(decision.details, {regionId: first, segmentIndex: 0,
        nextRegionId: second});
    });

  it('does not move on for an error that is not about capacity', async () => {
    const denied = new Error('permission denied');
    const dependencies = {
      training: {launch: async () => {
        throw denied;
      }},
      catalog: loadRegionCatalog(),
      clock: new SteppingClock(0),
      logger: createMemoryLogger(),
    } as unknown as SchedulerDependencies;
    const snapshot = {decisions: []} as unknown as JobSnapshot;
    await assert.rejects(launchWithCapacityFallback(dependencies, snapshot,
      plan, request), (error: unknown) => error === denied);
    assert.equal(snapshot.decisions.length, 0);
  });
});
