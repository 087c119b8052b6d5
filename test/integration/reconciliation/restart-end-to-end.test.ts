import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {waitForAuditedMessage, type AuditedMessage} from
  '../../../adapters/local/audit-reader.js';
import {startLocalWorld, type LocalWorld} from
  '../../../adapters/local/local-world.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import type {BudgetEntry} from '../../../shared/budgets/budget-ledger.js';
import {BUDGETS_CONFIG_KEY} from '../../../shared/budgets/budget-source.js';
import {readSnapshot, type JobSnapshot} from
  '../../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';
import {readJson} from '../../../shared/ports/blob-store.js';
import {recordingLogger} from '../../support/recording-logger.js';

const JOB_FILE = 'examples/jobs/fine-tune-h100.json';
const POLL_SECONDS = 1800;
const HOUR_MS = 3_600_000;
const START_MS = Date.parse(DEFAULT_DEMO_NOW);
// The demo job plans its start for 06:00 and pauses from 11:30 until
// 06:00 the next day: one execution is lost in each wait.
const WAITING = 'stranded-waiting';
const PAUSED = 'stranded-paused';
const KILL_WAITING_AT_MS = START_MS + 2 * HOUR_MS;
const KILL_PAUSED_AT_MS = START_MS + 14 * HOUR_MS;


// What the test learns of one job.
interface JobOutcome {
  killedAtMs: number;
  firstExecution: string;
  snapshot: JobSnapshot;
  segmentRows: number[];
  footprintRows: number[];
  reserves: BudgetEntry[];
  settles: BudgetEntry[];
  finalPlan: StoredPlan;
}

describe('lifecycle executions lost while waiting and while paused, on ' +
  'the Pub/Sub emulator, with scheduled polls', function () {
  this.timeout(240_000);
  let directory: string;
  let world: LocalWorld;
  let logger: ReturnType<typeof recordingLogger>;
  let deadlineMs: number;
  const events = new Map<string, AuditedMessage>();
  const jobs = new Map<string, JobOutcome>();

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'restart-'));
    let clockNowMs = () => START_MS;
    logger = recordingLogger(() => clockNowMs());
    const projectId = `restart-${randomUUID().slice(0, 8)}`;
    world = await startLocalWorld({
      startMs: START_MS,
      runDirectory: path.join(directory, randomUUID()),
      logger,
      projectId,
      intensityPollSeconds: POLL_SECONDS,
      settings: {pollSeconds: POLL_SECONDS},
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
    });
    clockNowMs = () => world.clock.nowMs();
    const {clock, lifecycle} = world;

    // A budget, so that each job's reservation can be counted.
    const job = JSON.parse(await readFile(JOB_FILE, 'utf8'));
    deadlineMs = Date.parse(job.constraints.deadline);
    await world.blobs.write(BUDGETS_CONFIG_KEY, JSON.stringify({
      schemaVersion: 1, overBudget: 'reject',
      projects: {[job.project]: {carbonBudgetKg: 50}}}));

    // Two copies of the demo job, submitted as a user does.
    for (const jobId of [WAITING, PAUSED]) {
      await world.publisher.publishEncoded('job-requests',
        Buffer.from(JSON.stringify({...job, jobId})).toString('base64'));
    }
    const logged = (message: string, jobId: string) => () =>
      logger.entries.some((entry) => entry.message === message &&
        entry.fields.jobId === jobId);

    // Kill the first while it waits for its 06:00 slot (or stop early,
    // and say why, should the plan no longer wait that long).
    const launched = (jobId: string) => () => logger.entries.some(
      (entry) => entry.message === 'training job created' &&
        String(entry.fields.jobName).includes(`/${jobId}/`));
    const ended = (jobId: string) => () =>
      lifecycle.outcomeOf(jobId) !== undefined;
    await clock.run(() => (logged('plan chosen', WAITING)() &&
      clock.nowMs() >= KILL_WAITING_AT_MS) ||
      launched(WAITING)() || ended(WAITING)());
    const kill = async (jobId: string, state: string) => {
      const before = await readSnapshot(world.blobs, jobId);
      assert.equal(before?.state, state, `${jobId} is not ${state} at ` +
        `${new Date(clock.nowMs()).toISOString()}`);
      const firstExecution = lifecycle.executionsOf(jobId)[0]!;
      assert.equal(lifecycle.kill(firstExecution, 'killed by the test'),
        true);
      return {killedAtMs: clock.nowMs(), firstExecution};
    };
    const waitingKill = await kill(WAITING, 'planned');

    // Kill the second while it is paused until the next morning.
    await clock.run(() =>
      (logged('training paused after a checkpoint', PAUSED)() &&
        clock.nowMs() >= KILL_PAUSED_AT_MS) || ended(PAUSED)());
    const pausedKill = await kill(PAUSED, 'paused');

    // Time runs on: the polls restart both, and both finish.
    const finished = (jobId: string) =>
      lifecycle.executionsOf(jobId).length > 1 &&
      lifecycle.outcomeOf(jobId) !== undefined;
    await clock.run(() => finished(WAITING) && finished(PAUSED));
    await waitForAuditedMessage(world.pubsub, 'job-events', (message) => {
      const body = message.body as {jobId?: string; event?: string};
      if (body.event?.startsWith('restarted-')) {
        events.set(String(body.jobId), message);
      }
      return events.size === 2;
    });

    // What each job left in the snapshot, the ledger and the budget.
    const month = DEFAULT_DEMO_NOW.slice(0, 7);
    const budgetKeys = await world.blobs.list(
      `budgets/${encodeURIComponent(job.project)}/${month}/`);
    const entries: BudgetEntry[] = [];
    for (const key of budgetKeys) {
      const entry = await readJson<BudgetEntry>(world.blobs, key);
      if (entry?.jobId !== undefined) entries.push(entry);
    }
    const indexes = async (table: string, jobId: string, where = '') =>
      (await world.ledger.query(`SELECT segment_index FROM ${table} ` +
        `WHERE job_id = '${jobId}'${where}`))
        .map((row) => Number(row.segment_index)).sort((a, b) => a - b);
    for (const [jobId, killed] of [[WAITING, waitingKill],
      [PAUSED, pausedKill]] as const) {
      const snapshot = (await readSnapshot(world.blobs, jobId))!;
      jobs.set(jobId, {
        ...killed,
        snapshot,
        segmentRows: await indexes('segments', jobId),
        footprintRows: await indexes('footprints', jobId,
          ` AND footprint_kind = 'actual'`),
        reserves: entries.filter((entry) => entry.jobId === jobId &&
          entry.kind === 'reserve'),
        settles: entries.filter((entry) => entry.jobId === jobId &&
          entry.kind === 'settle'),
        finalPlan: (await readJson<StoredPlan>(world.blobs,
          snapshot.planPointer!))!,
      });
    }
  });

  after(async () => {
    await world?.close();
    await rm(directory, {recursive: true, force: true});
  });

  const restartsOf = (jobId: string) => logger.entries.filter((entry) =>
    entry.message === 'reconciliation action done' &&
    entry.fields.jobId === jobId);

  it('stops each killed execution where it was lost', () => {
    for (const jobId of [WAITING, PAUSED]) {
      const {firstExecution} = jobs.get(jobId)!;
      assert.deepEqual(world.lifecycle.outcomeOfExecution(firstExecution),
        {status: 'killed', reason: 'killed by the test'}, jobId);
    }
    assert.equal(jobs.get(WAITING)!.snapshot.segments[0]!.launchedAtMs >
      jobs.get(WAITING)!.killedAtMs, true, 'killed before its launch');
    const pausedSegment = jobs.get(PAUSED)!.snapshot.segments[0]!;
    assert.ok(pausedSegment.endedAtMs! < jobs.get(PAUSED)!.killedAtMs,
      'killed after its pause');
  });

  it('restarts each job once, under the same jobId, and says so', () => {
    for (const [jobId, kind] of [[WAITING, 'restart-waiting'],
      [PAUSED, 'restart-paused']] as const) {
      const executions = world.lifecycle.executionsOf(jobId);
      assert.equal(executions.length, 2, JSON.stringify(executions));
      assert.match(executions[1]!, new RegExp(`^local-executions/` +
        `${jobId}/${kind}-`));
      const done = restartsOf(jobId);
      assert.deepEqual(done.map((entry) => entry.fields.kind), [kind]);
      const body = events.get(jobId)!.body as Record<string, unknown>;
      assert.equal(body.event, kind.replace('restart-', 'restarted-'));
      assert.equal(body.executionName, executions[1]);
      assert.ok(Number(body.atMs) > jobs.get(jobId)!.killedAtMs);
      assert.equal(world.lifecycle.outcomeOf(jobId)?.status, 'succeeded',
        JSON.stringify(world.lifecycle.outcomeOf(jobId)));
    }
  });

  it('resumes the paused job at its resume time from its checkpoint',
    () => {
      const {snapshot} = jobs.get(PAUSED)!;
      const [first, second] = snapshot.segments;
      const pause = snapshot.decisions.find((decision) =>
        decision.decision === 'pause')!;
      const numbers = pause.details.numbers as {resumeAtMs: number};
      assert.equal(second?.launchedAtMs, numbers.resumeAtMs);
      assert.equal(second?.startStep, first?.endStep);
      const restart = events.get(PAUSED)!.body as Record<string, unknown>;
      assert.equal(restart.resumeAt,
        new Date(numbers.resumeAtMs).toISOString());
      assert.equal(restart.checkpointStep, first?.endStep);
    });

  it('completes each job by its deadline', () => {
    for (const jobId of [WAITING, PAUSED]) {
      const {snapshot} = jobs.get(jobId)!;
      assert.equal(snapshot.state, 'completed', jobId);
      assert.equal(snapshot.segments.at(-1)?.endState,
        'JOB_STATE_SUCCEEDED');
      const lastEndMs = Math.max(
        ...snapshot.segments.map((segment) => segment.endedAtMs!));
      assert.ok(lastEndMs <= deadlineMs, `${jobId} ended ` +
        `${new Date(lastEndMs).toISOString()}, after the deadline`);
    }
  });

  it('keeps one budget reservation per job, settled once', () => {
    for (const jobId of [WAITING, PAUSED]) {
      const {reserves, settles, finalPlan} = jobs.get(jobId)!;
      assert.equal(reserves.length, 1, JSON.stringify(reserves));
      assert.ok(Math.abs(reserves[0]!.jobNetKg -
        finalPlan.expectedEmissionsGrams / 1000) < 1e-9);
      assert.equal(settles.length, 1, JSON.stringify(settles));
    }
  });

  it('records one segment row and one footprint row per segment', () => {
    for (const jobId of [WAITING, PAUSED]) {
      const {snapshot, segmentRows, footprintRows} = jobs.get(jobId)!;
      const indexes = snapshot.segments.map((segment) => segment.index);
      assert.deepEqual(indexes, [0, 1], jobId);
      assert.deepEqual(segmentRows, indexes, jobId);
      assert.deepEqual(footprintRows, indexes, jobId);
    }
  });
});
