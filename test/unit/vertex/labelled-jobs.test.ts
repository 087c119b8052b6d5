import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {protos} from '@google-cloud/aiplatform';
import {createDirectoryObjectStore} from
  '../../../adapters/gcs-checkpoints/directory-object-store.js';
import {sanitizeLabelValue} from '../../../adapters/vertex/job-labels.js';
import type {JobServiceClientLike} from
  '../../../adapters/vertex/job-service-client.js';
import {createVertexTrainingBackend} from
  '../../../adapters/vertex/vertex-training-backend.js';
import type {VertexTrainingBackendOptions} from
  '../../../adapters/vertex/vertex-training-backend.js';
import {TrainingJobListingError} from
  '../../../adapters/vertex/vertex-errors.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

// An id that sanitisation changes: upper case, `/` and `#`.
const AWKWARD_JOB_ID = 'Team/Run#7';
const CREATED_MS = Date.parse('2025-03-01T10:00:00Z');

// One region's ListCustomJobs answering from fixed pages keyed by page
// token, recording each call. The other methods are not used here.
class PagedJobServiceStandIn implements JobServiceClientLike {
  readonly lists: {request: {parent: string; filter: string;
    pageToken?: string}; options: {autoPaginate?: boolean} | undefined}[] =
    [];
  failure: Error | null = null;

  constructor(
    readonly pages: Record<string, {jobs: CustomJob[];
      nextPageToken?: string}>,
  ) {}

  async listCustomJobs(
    request: {parent: string; filter: string; pageToken?: string},
    options?: {autoPaginate?: boolean},
  ) {
    this.lists.push({request, options});
    if (this.failure) throw this.failure;
    const page = this.pages[request.pageToken ?? ''] ?? {jobs: []};
    return [page.jobs, null, {nextPageToken: page.nextPageToken ?? ''}] as
      const;
  }

  async createCustomJob(): Promise<readonly [CustomJob]> {
    throw new Error('not used');
  }

  async getCustomJob(): Promise<readonly [CustomJob]> {
    throw new Error('not used');
  }

  async cancelCustomJob(): Promise<unknown> {
    throw new Error('not used');
  }
}

// A CustomJob as launch creates it: labels and the container variables.
function customJob(regionId: string, id: number, options: {
  labels?: Record<string, string>;
  environment?: Record<string, string>;
  state?: CustomJob['state'];
}): CustomJob {
  return {
    name: `projects/p/locations/${regionId}/customJobs/${id}`,
    labels: options.labels,
    state: options.state ?? 'JOB_STATE_RUNNING',
    createTime: {seconds: CREATED_MS / 1000 + id, nanos: 500_000_000},
    jobSpec: {workerPoolSpecs: [{containerSpec: {imageUri: 'i',
      env: Object.entries(options.environment ?? {})
        .map(([name, value]) => ({name, value}))}}]},
  };
}

function segmentJob(regionId: string, id: number, jobId: string,
  attempt: number, state?: CustomJob['state']): CustomJob {
  return customJob(regionId, id, {
    labels: {'carbon-job-id': sanitizeLabelValue(jobId),
      attempt: String(attempt), 'managed-by': 'carbon-scheduler'},
    environment: {CARBON_JOB_ID: jobId,
      CARBON_SEGMENT_INDEX: String(attempt)},
    ...(state ? {state} : {}),
  });
}

describe('Vertex AI training backend listLabelled (job service client ' +
    'stand-in per region)', () => {
  let root: string;
  let standIns: Map<string, PagedJobServiceStandIn>;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vertex-labelled-'));
    standIns = new Map([
      ['europe-west4', new PagedJobServiceStandIn({
        '': {nextPageToken: 'page-2', jobs: [
          segmentJob('europe-west4', 1, 'j-42', 0, 'JOB_STATE_CANCELLED'),
          segmentJob('europe-west4', 2, AWKWARD_JOB_ID, 2),
        ]},
        'page-2': {jobs: [
          // The service would not return this one; it has no job label.
          customJob('europe-west4', 3, {labels: {team: 'x'}}),
          segmentJob('europe-west4', 4, 'j-42', 1, 7),
        ]},
      })],
      ['us-central1', new PagedJobServiceStandIn({
        '': {jobs: [segmentJob('us-central1', 5, 'j-50', 0,
          'JOB_STATE_SUCCEEDED')]},
      })],
    ]);
  });
  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  function backend(overrides: Partial<VertexTrainingBackendOptions> = {}) {
    return createVertexTrainingBackend({
      project: 'p',
      serviceAccount: 'trainer@p.iam.gserviceaccount.com',
      checkpointBucketFor: (regionId) => `ckpt-${regionId}`,
      objects: createDirectoryObjectStore(root),
      catalog: loadRegionCatalog(),
      stepsPerHour: 24,
      restartOverheadMs: 0,
      trainingRegionIds: ['europe-west4', 'us-central1'],
      clientFor: (regionId) => standIns.get(regionId) ??
        new PagedJobServiceStandIn({}),
      ...overrides,
    });
  }

  it('maps every page of every region to job id, attempt, state and ' +
      'creation time', async () => {
    const listed = await backend().listLabelled();
    const at = (id: number) => CREATED_MS + id * 1000 + 500;
    assert.deepEqual(listed, [
      {jobId: 'j-42', segmentIndex: 0, state: 'JOB_STATE_CANCELLED',
        trainingJobName: 'projects/p/locations/europe-west4/customJobs/1',
        createdAtMs: at(1)},
      {jobId: AWKWARD_JOB_ID, segmentIndex: 2, state: 'JOB_STATE_RUNNING',
        trainingJobName: 'projects/p/locations/europe-west4/customJobs/2',
        createdAtMs: at(2)},
      {jobId: 'j-42', segmentIndex: 1, state: 'JOB_STATE_CANCELLED',
        trainingJobName: 'projects/p/locations/europe-west4/customJobs/4',
        createdAtMs: at(4)},
      {jobId: 'j-50', segmentIndex: 0, state: 'JOB_STATE_SUCCEEDED',
        trainingJobName: 'projects/p/locations/us-central1/customJobs/5',
        createdAtMs: at(5)},
    ]);
  });

  it('recovers a job id that sanitisation changed from the container ' +
      'environment', async () => {
    assert.notEqual(sanitizeLabelValue(AWKWARD_JOB_ID), AWKWARD_JOB_ID);
    const listed = await backend().listLabelled();
    assert.ok(listed.some((job) => job.jobId === AWKWARD_JOB_ID));
    assert.ok(!listed.some((job) =>
      job.jobId === sanitizeLabelValue(AWKWARD_JOB_ID)));
  });

  it('sends the label-existence filter to each region, one page at a ' +
      'time, following the page token', async () => {
    await backend().listLabelled();
    const europe = standIns.get('europe-west4')!.lists;
    const us = standIns.get('us-central1')!.lists;
    assert.deepEqual(europe.map((call) => call.request), [
      {parent: 'projects/p/locations/europe-west4',
        filter: 'labels.carbon-job-id:*'},
      {parent: 'projects/p/locations/europe-west4',
        filter: 'labels.carbon-job-id:*', pageToken: 'page-2'},
    ]);
    assert.deepEqual(us.map((call) => call.request), [
      {parent: 'projects/p/locations/us-central1',
        filter: 'labels.carbon-job-id:*'},
    ]);
    for (const call of [...europe, ...us]) {
      assert.deepEqual(call.options, {autoPaginate: false});
    }
  });

  it('takes the label, with a warning, when the environment has no job ' +
      'id, and leaves out a job with no attempt', async () => {
    const logger = createMemoryLogger();
    standIns.set('us-central1', new PagedJobServiceStandIn({'': {jobs: [
      customJob('us-central1', 6,
        {labels: {'carbon-job-id': 'j-60', attempt: '3'}}),
      customJob('us-central1', 7, {labels: {'carbon-job-id': 'j-70'}}),
    ]}}));
    const listed = await backend({logger}).listLabelled();
    const us = listed.filter((job) =>
      job.trainingJobName.includes('/us-central1/'));
    assert.deepEqual(us.map((job) => [job.jobId, job.segmentIndex]),
      [['j-60', 3]]);
    assert.equal(logger.entries.filter((entry) =>
      entry.severity === 'WARNING').length, 2);
  });

  it('throws a retryable listing error naming the region whose list ' +
      'failed, after listing the others', async () => {
    standIns.get('us-central1')!.failure =
      Object.assign(new Error('region unavailable'), {code: 14});
    await assert.rejects(backend().listLabelled(), (error: unknown) => {
      assert.ok(error instanceof TrainingJobListingError);
      assert.equal(error.retryable, true);
      assert.deepEqual(error.failures.map((failure) => failure.regionId),
        ['us-central1']);
      assert.match(error.message, /us-central1.*region unavailable/);
      return true;
    });
    assert.equal(standIns.get('europe-west4')!.lists.length, 2);
  });

  it('lists, by default, in every catalog region that offers an ' +
      'accelerator and has a grid zone', async () => {
    const catalog = loadRegionCatalog();
    const asked: string[] = [];
    await backend({
      trainingRegionIds: undefined,
      clientFor: (regionId) => {
        asked.push(regionId);
        return new PagedJobServiceStandIn({});
      },
    }).listLabelled();
    assert.ok(asked.includes('europe-west4'));
    const without = catalog.regions.find((region) =>
      region.acceleratorOffers.length === 0);
    assert.ok(without, 'the catalog has a region without accelerators');
    assert.ok(!asked.includes(without.id));
    for (const regionId of asked) {
      const region = catalog.require(regionId);
      assert.ok(region.acceleratorOffers.length > 0, regionId);
      assert.notEqual(region.electricityMapsZone, null, regionId);
    }
  });
});
