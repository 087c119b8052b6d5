import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import type {CloudEvent} from '@google-cloud/functions-framework';

import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import type {SchedulerDependencies} from
  '../../../functions/dependencies.js';
import {createOptimizeSlot} from
  '../../../functions/optimize-slot/handler.js';
import {NO_GPU_QUOTA} from '../../../shared/quotas/quota-filter.js';
import type {ForecastBundle} from '../../../shared/jobs/forecast-bundle.js';
import {jobKeys, readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';
import {readJson} from '../../../shared/ports/blob-store.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {
  AcceleratorQuota,
  QuotaChecker,
} from '../../../shared/ports/quota-checker.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');
const JOB_ID = 'job-quota';
const FORECASTS = jobKeys.forecasts(JOB_ID, 1);

// Three regions with flat forecasts: europe-north1 the greenest, then
// europe-west4, then the home region us-east4.
const GRAMS: Record<string, number> = {
  'europe-north1': 50, 'europe-west4': 200, 'us-east4': 400,
};
const bundle: ForecastBundle = {
  jobId: JOB_ID, requestId: `${JOB_ID}:plan:1`, issuedAtMs: T0,
  provider: 'test', excluded: [],
  regions: Object.entries(GRAMS).map(([regionId, grams]) => ({
    regionId, zone: regionId, powerUsageEffectiveness: 1.1,
    series: {zone: regionId, basis: 'average-lifecycle', kind: 'forecast',
      source: 'test', issuedAtMs: T0,
      points: Array.from({length: 24}, (_, hour) => ({
        startMs: T0 + hour * HOUR_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: grams,
      }))},
  })),
};

/** A stand-in for the Cloud Quotas API: fixed limits, or a failure. */
class StandInQuotaChecker implements QuotaChecker {
  readonly asked: string[] = [];

  constructor(
    private readonly limits: Record<string, number | null | Error>,
  ) {}

  async acceleratorQuota(
    regionId: string,
    acceleratorType: string,
  ): Promise<AcceleratorQuota> {
    this.asked.push(`${regionId}/${acceleratorType}`);
    const limit = this.limits[regionId];
    if (limit instanceof Error) throw limit;
    return {regionId, acceleratorType, limit: limit ?? null,
      source: 'stand-in quota metric'};
  }
}

describe('optimize-slot GPU quota check (stand-in quota checker)', () => {
  let root: string;
  let blobs: DirectoryBlobStore;
  let logger: ReturnType<typeof createMemoryLogger>;
  let published: {topic: string; body: unknown}[];
  let ledgerRows: {table: string; row: Record<string, unknown>}[];

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'optimize-slot-quota-'));
    blobs = new DirectoryBlobStore(root);
    logger = createMemoryLogger();
    published = [];
    ledgerRows = [];
    const job = jobRequestSchema.parse({
      ...JSON.parse(await readFile('examples/jobs/fine-tune-h100.json',
        'utf8')),
      jobId: JOB_ID, homeRegion: 'us-east4', durationHours: 2,
      interruptible: false,
      constraints: {deadline: '2022-06-14T20:00:00Z', residency: ['any'],
        maxPauses: 0},
    });
    await blobs.write(jobKeys.request(JOB_ID),
      JSON.stringify({...job, jobId: JOB_ID}));
    await blobs.write(jobKeys.snapshot(JOB_ID), JSON.stringify({
      jobId: JOB_ID, state: 'planning', submittedAtMs: T0, updatedAtMs: T0,
      lastSequence: 0, segments: [], decisions: []}));
    await blobs.write(FORECASTS, JSON.stringify(bundle));
  });

  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  // Runs optimize-slot once on the stored forecasts; the stored plan.
  async function optimize(quotas?: QuotaChecker): Promise<StoredPlan> {
    await runOptimizeSlot(quotas);
    const snapshot = await readSnapshot(blobs, JOB_ID);
    assert.ok(snapshot?.planPointer, JSON.stringify(published));
    return (await readJson<StoredPlan>(blobs, snapshot.planPointer))!;
  }

  async function runOptimizeSlot(quotas?: QuotaChecker): Promise<void> {
    const dependencies = {
      clock: new VirtualClock(T0),
      blobs,
      publisher: {
        async publish(topic: string, body: unknown) {
          published.push({topic, body});
          return String(published.length);
        },
      },
      callbacks: {async send() {}},
      logger,
      ledger: {
        async append(table: string, rows: Record<string, unknown>[]) {
          ledgerRows.push(...rows.map((row) => ({table, row})));
        },
      },
      training: {stepsPerHour: 12, restartOverheadMs: 0},
      settings: {pollSeconds: 1800, checkpointOverheadMs: 0,
        gpuUtilisationFraction: 0.9},
      ...(quotas ? {quotas} : {}),
    } as unknown as SchedulerDependencies;
    const envelope = {
      schemaVersion: 2, jobId: JOB_ID, step: 'plan', sequence: 1,
      requestId: `${JOB_ID}:plan:1`, sentAt: new Date(T0).toISOString(),
      attempt: 1, payload: {forecastsPointer: FORECASTS},
    };
    await createOptimizeSlot(dependencies)({
      specversion: '1.0', id: 'event-1', source: 'test',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      data: {message: {messageId: 'message-1',
        data: Buffer.from(JSON.stringify(envelope)).toString('base64')}},
    } as CloudEvent<MessagePublishedData>);
  }

  it('chooses the greenest region when no quota checker is configured',
    async () => {
      const plan = await optimize();
      assert.equal(plan.segments[0]!.regionId, 'europe-north1');
      assert.deepEqual(plan.excluded, []);
    });

  it('records the stored plan once as a plans ledger row, however often ' +
    'the request is delivered', async () => {
      const plan = await optimize();
      await runOptimizeSlot();
      const rows = ledgerRows.filter((entry) => entry.table === 'plans');
      assert.equal(rows.length, 1);
      assert.deepEqual({...rows[0]!.row, recorded_at: undefined}, {
        insert_id: `${JOB_ID}:plan:1`, job_id: JOB_ID,
        project_id: 'demo-research', plan_index: 1,
        region: 'europe-north1',
        planned_start: new Date(plan.segments[0]!.startMs).toISOString(),
        planned_end: new Date(plan.segments[0]!.endMs).toISOString(),
        signal_source: 'test', signal_basis: 'average-lifecycle',
        expected_kgco2e: plan.expectedEmissionsGrams / 1000,
        reserved_budget_kgco2e: null,
        segments: [{region: 'europe-north1',
          start: new Date(plan.segments[0]!.startMs).toISOString(),
          end: new Date(plan.segments[0]!.endMs).toISOString()}],
        recorded_at: undefined});
    });

  it('excludes a region whose quota is below the need, with the reason',
    async () => {
      const quotas = new StandInQuotaChecker({
        'europe-north1': 0, 'europe-west4': 8, 'us-east4': 8});
      const plan = await optimize(quotas);

      assert.equal(plan.segments[0]!.regionId, 'europe-west4');
      assert.deepEqual(plan.excluded.map((e) => [e.regionId, e.reason]),
        [['europe-north1', NO_GPU_QUOTA]]);
      assert.equal(plan.excluded[0]!.message,
        'no GPU quota: 1 x NVIDIA_H100_80GB needed, the project\'s limit ' +
          'in europe-north1 is 0 (stand-in quota metric)');
      assert.ok(plan.regionsConsidered.every(
        (region) => region.regionId !== 'europe-north1'));
      assert.ok(quotas.asked.includes('europe-north1/NVIDIA_H100_80GB'));
      assert.doesNotMatch(plan.why, /quota unknown/);
    });

  it('still prices the counterfactual at home when home has no quota',
    async () => {
      const plan = await optimize(new StandInQuotaChecker({
        'europe-north1': 8, 'europe-west4': 8, 'us-east4': 0}));

      assert.equal(plan.segments[0]!.regionId, 'europe-north1');
      assert.equal(plan.counterfactual.regionId, 'us-east4');
      // the same 2 h of energy at 400 g/kWh against 50 g/kWh
      assert.ok(Math.abs(plan.counterfactual.expectedEmissionsGrams! /
        plan.expectedEmissionsGrams - 8) < 1e-9);
    });

  it('keeps a region whose quota is unknown, noting it and warning',
    async () => {
      const plan = await optimize(new StandInQuotaChecker({
        'europe-north1': null, 'europe-west4': 8, 'us-east4': 8}));

      assert.equal(plan.segments[0]!.regionId, 'europe-north1');
      assert.deepEqual(plan.excluded, []);
      assert.match(plan.why, /quota unknown, region kept: europe-north1 /);
      const warning = logger.entries.find((entry) =>
        entry.severity === 'WARNING' &&
        entry.message === 'GPU quota unknown; regions kept');
      assert.ok(warning, JSON.stringify(logger.entries));
      assert.deepEqual((warning.fields as {unknown: unknown}).unknown, [{
        regionId: 'europe-north1',
        message: 'no quota limit published (stand-in quota metric)'}]);
    });

  it('keeps a region whose quota read failed, noting the error',
    async () => {
      const plan = await optimize(new StandInQuotaChecker({
        'europe-north1': new Error('quota service unavailable'),
        'europe-west4': 0, 'us-east4': 8}));

      assert.equal(plan.segments[0]!.regionId, 'europe-north1');
      assert.deepEqual(plan.excluded.map((e) => e.regionId),
        ['europe-west4']);
      assert.ok(plan.why.includes('quota unknown, region kept: ' +
        'europe-north1 (quota not read: quota service unavailable)'),
      plan.why);
    });

  it('fails the plan permanently, naming each limit, when no region has ' +
    'quota', async () => {
    await runOptimizeSlot(new StandInQuotaChecker({
      'europe-north1': 0, 'europe-west4': 0, 'us-east4': 0}));
    assert.equal((await readSnapshot(blobs, JOB_ID))?.planPointer, undefined);
    const deadLetter = published.find((p) => p.topic === 'dead-letters');
    assert.ok(deadLetter, JSON.stringify(published));
    const body = deadLetter.body as {code: string; message: string};
    assert.equal(body.code, 'no-feasible-plan');
    assert.match(body.message,
      /no region with GPU quota for 1 x NVIDIA_H100_80GB/);
    assert.match(body.message, /limit in us-east4 is 0/);
  });
});
