import assert from 'node:assert/strict';
import {
  assertCustomJobIntact,
  roundTripCustomJob,
} from '../../../adapters/vertex/custom-job-proto-check.js';
import {
  buildCustomJob,
  schedulingFromJob,
} from '../../../adapters/vertex/custom-job-request.js';
import type {CustomJobInput} from '../../../adapters/vertex/custom-job-request.js';
import {
  sanitizeLabelValue,
  segmentLabelFilter,
} from '../../../adapters/vertex/job-labels.js';
import {
  DEFAULT_VERTEX_TIMEOUT_SECONDS,
  latestSubmitMs,
} from '../../../adapters/vertex/scheduling-timeout.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_SECONDS = 3600;

function inputFor(overrides: Partial<CustomJobInput> = {},
  segment: Partial<CustomJobInput['segment']> = {}): CustomJobInput {
  return {
    segment: {
      jobId: 'j-42',
      segmentIndex: 2,
      regionId: 'europe-west4',
      maxSteps: 1200,
      checkpointEverySteps: 24,
      seed: 7,
      machineType: 'a3-highgpu-8g',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorCount: 8,
      imageUri: 'europe-docker.pkg.dev/p/r/train:1',
      args: ['--epochs', '3'],
      expectedRunSeconds: 10 * HOUR_SECONDS,
      ...segment,
    },
    scheduling: {deadlineMs: null, strategy: 'STANDARD', maxWaitSeconds: null},
    nowMs: Date.parse('2025-03-01T00:00:00Z'),
    checkpointBucket: 'ckpt-europe-west4',
    serviceAccount: 'trainer@p.iam.gserviceaccount.com',
    productLabel: 'carbon',
    restartOverheadMs: 0,
    maxTimeoutSeconds: 30 * 24 * HOUR_SECONDS,
    catalog: loadRegionCatalog(),
    ...overrides,
  };
}

describe('buildCustomJob', () => {
  it('survives the aiplatform protobuf round trip with no field or enum ' +
      'name dropped, and verify finds nothing', () => {
    const body = buildCustomJob(inputFor({scheduling: {
      deadlineMs: Date.parse('2025-03-06T20:00:00Z'),
      strategy: 'FLEX_START', maxWaitSeconds: 1800}}));
    const {lost, verifyProblem, roundTrip} = roundTripCustomJob(body);
    assert.deepEqual(lost, []);
    assert.equal(verifyProblem, null);
    assert.deepEqual(roundTrip, JSON.parse(JSON.stringify(body)));
    assert.doesNotThrow(() => assertCustomJobIntact(body));
  });

  it('is caught by the round trip when the accelerator name is not a ' +
      'Vertex AI enum value', () => {
    const body = buildCustomJob(inputFor());
    const pool = body.jobSpec!.workerPoolSpecs![0]!;
    (pool.machineSpec as Record<string, unknown>).acceleratorType =
      'NVIDIA_H100_80GB_TYPO';
    const {lost} = roundTripCustomJob(body);
    assert.deepEqual(lost,
      ['jobSpec.workerPoolSpecs[0].machineSpec.acceleratorType']);
    assert.throws(() => assertCustomJobIntact(body), (error: Error) =>
      /machineSpec\.acceleratorType/.test(error.message));
  });

  it('is caught by the round trip when a field name is misspelt', () => {
    const body = buildCustomJob(inputFor());
    (body.jobSpec as Record<string, unknown>).baseOutputDir = {};
    assert.deepEqual(roundTripCustomJob(body).lost, ['jobSpec.baseOutputDir']);
  });

  it('points baseOutputDirectory at the job folder of the region\'s ' +
      'bucket and passes machine, container, labels and account', () => {
    const body = buildCustomJob(inputFor());
    const spec = body.jobSpec!;
    assert.equal(spec.baseOutputDirectory?.outputUriPrefix,
      'gs://ckpt-europe-west4/jobs/j-42/');
    assert.equal(spec.serviceAccount, 'trainer@p.iam.gserviceaccount.com');
    const pool = spec.workerPoolSpecs![0]!;
    assert.deepEqual(pool.machineSpec, {machineType: 'a3-highgpu-8g',
      acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 8});
    assert.equal(pool.replicaCount, 1);
    assert.deepEqual(pool.containerSpec?.args, ['--epochs', '3']);
    const environment = Object.fromEntries((pool.containerSpec?.env ?? [])
      .map((variable) => [variable.name, variable.value]));
    assert.equal(environment['CARBON_PAUSE_REQUEST_URI'],
      'gs://ckpt-europe-west4/jobs/j-42/control/segment-2/' +
        'pause-requested.json');
    assert.equal(environment['CARBON_MAX_STEPS'], '1200');
    assert.deepEqual(body.labels, {'carbon-job-id': 'j-42', attempt: '2',
      'managed-by': 'carbon-scheduler'});
    assert.equal(body.displayName, 'carbon-j-42-segment-2');
  });

  it('refuses an accelerator the region does not offer, naming the field',
    () => {
      assert.throws(
        () => buildCustomJob(inputFor({}, {regionId: 'us-east4',
          acceleratorType: 'NVIDIA_TESLA_A100', machineType: 'a2-highgpu-1g'})),
        (error: Error & {field?: string}) =>
          error.field === 'hardware.acceleratorType' &&
          /not offered in us-east4/.test(error.message));
    });

  it('refuses a machine type of another family than the one carrying the ' +
      'accelerator there', () => {
    assert.throws(
      () => buildCustomJob(inputFor({}, {machineType: 'n1-standard-8'})),
      (error: Error & {field?: string}) =>
        error.field === 'hardware.machineType');
  });

  it('refuses a region the catalog does not list', () => {
    assert.throws(() => buildCustomJob(inputFor({}, {regionId: 'mars-east1'})),
      /not in the region catalog/);
  });

  it('refuses a segment without a container image', () => {
    assert.throws(() => buildCustomJob(inputFor({}, {imageUri: undefined})),
      (error: Error & {field?: string}) => error.field === 'trainer.imageUri');
  });
});

describe('labels of a CustomJob', () => {
  it('sanitizes a value to lowercase, allowed characters, 63 at most', () => {
    const value = sanitizeLabelValue(`Fine.Tune/${'x'.repeat(80)}`);
    assert.match(value, /^[a-z0-9_-]{1,63}$/);
    assert.equal(value.length, 63);
  });

  it('keeps two ids apart when sanitizing makes them look alike', () => {
    assert.notEqual(sanitizeLabelValue('Job.A'), sanitizeLabelValue('job-a'));
    assert.notEqual(sanitizeLabelValue('JOB.A'), sanitizeLabelValue('Job.A'));
  });

  it('leaves a valid value unchanged', () => {
    assert.equal(sanitizeLabelValue('j-42_b'), 'j-42_b');
  });

  it('filters by job id and attempt', () => {
    assert.equal(segmentLabelFilter('carbon', 'j-42', 3),
      'labels.carbon-job-id=j-42 AND labels.attempt=3');
  });
});

describe('C29: scheduling.timeout and FLEX_START', () => {
  it('sets a timeout of at least 691200s with a 10 % margin for an 8-day ' +
      'job, instead of leaving the 7-day default', () => {
    const body = buildCustomJob(inputFor({}, {
      expectedRunSeconds: 691_200}));
    const seconds = Number(body.jobSpec!.scheduling!.timeout!.seconds);
    assert.equal(seconds, 760_320);
    assert.ok(seconds > DEFAULT_VERTEX_TIMEOUT_SECONDS);
  });

  it('always sets a timeout, even for a short job', () => {
    const body = buildCustomJob(inputFor({}, {expectedRunSeconds: 600}));
    assert.equal(Number(body.jobSpec!.scheduling!.timeout!.seconds), 660);
  });

  it('refuses a segment longer than the cap with a clear error', () => {
    assert.throws(
      () => buildCustomJob(inputFor({maxTimeoutSeconds: 604_800},
        {expectedRunSeconds: 691_200})),
      (error: Error & {code?: string}) => error.code === 'segment-too-long' &&
        /interruptible/.test(error.message));
  });

  it('caps the timeout at the deadline', () => {
    const body = buildCustomJob(inputFor({scheduling: {
      deadlineMs: Date.parse('2025-03-01T10:30:00Z'),
      strategy: 'STANDARD', maxWaitSeconds: null}}));
    assert.equal(Number(body.jobSpec!.scheduling!.timeout!.seconds),
      10.5 * HOUR_SECONDS);
  });

  const flexStart = {
    deadlineMs: Date.parse('2025-03-06T20:00:00Z'),
    strategy: 'FLEX_START' as const,
    maxWaitSeconds: 1800,
  };

  it('charges the FLEX_START wait to the slack: latest start 09:30Z', () => {
    assert.equal(new Date(latestSubmitMs(flexStart.deadlineMs,
      10 * HOUR_SECONDS, flexStart)).toISOString(),
    '2025-03-06T09:30:00.000Z');
  });

  it('rejects a FLEX_START launch at 09:45Z as infeasible', () => {
    assert.throws(() => buildCustomJob(inputFor({scheduling: flexStart,
      nowMs: Date.parse('2025-03-06T09:45:00Z')})),
    (error: Error & {code?: string}) =>
      error.code === 'deadline-infeasible' && /09:30:00/.test(error.message));
  });

  it('accepts a FLEX_START launch at 09:30Z and passes maxWaitDuration',
    () => {
      const body = buildCustomJob(inputFor({scheduling: flexStart,
        nowMs: Date.parse('2025-03-06T09:30:00Z')}));
      assert.deepEqual(body.jobSpec!.scheduling, {
        timeout: {seconds: 10 * HOUR_SECONDS},
        strategy: 'FLEX_START',
        maxWaitDuration: {seconds: 1800},
      });
    });

  it('reads deadline, strategy and wait from the job request', () => {
    const job = jobRequestSchema.parse({
      project: 'p', owner: 'o', homeRegion: 'europe-west4',
      durationHours: 10,
      trainer: {imageUri: 'image'},
      hardware: {machineType: 'a3-highgpu-8g',
        acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 8},
      constraints: {deadline: '2025-03-06T20:00:00Z'},
      scheduling: {strategy: 'FLEX_START', maxWaitDuration: '1800s'},
    });
    assert.deepEqual(schedulingFromJob(job), flexStart);
  });

  it('refuses FLEX_START without a maxWaitDuration', () => {
    assert.throws(() => buildCustomJob(inputFor({scheduling: {
      ...flexStart, maxWaitSeconds: null}})),
    (error: Error & {field?: string}) =>
      error.field === 'scheduling.maxWaitDuration');
  });
});
