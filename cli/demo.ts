import {appendFileSync, mkdirSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {waitForAuditedMessage} from '../adapters/local/audit-reader.js';
import {
  startLocalWorld,
  type LocalWorld,
} from '../adapters/local/local-world.js';
import {readJson} from '../shared/ports/blob-store.js';
import {
  jobKeys,
  type JobSnapshot,
} from '../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../shared/jobs/stored-plan.js';
import {JOB_TOTALS_SQL} from '../shared/ledger/report-queries.js';
import {DUCKDB_DIALECT} from '../shared/ledger/sql-dialect.js';
import type {LocalTrainerFaults} from
  '../adapters/local/local-training-port.js';
import type {CallbackSender} from '../shared/ports/callback-sender.js';
import type {Logger, Severity} from '../shared/ports/logger.js';
import {describeProgress} from './progress.js';

/** What `demo` was asked to do. */
export interface DemoOptions {
  readonly jobFile: string;
  readonly nowMs: number;
  /** Most virtual seconds per real second; 0 is no limit. */
  readonly speed: number;
  readonly oracle: boolean;
  readonly json: boolean;
  readonly runDirectory: string;
  /** An emulator already running (tests); else one is started. */
  readonly emulatorAddress?: string;
  /** The project id topics live in (tests sharing an emulator differ). */
  readonly projectId?: string;
  /** Replaces the HTTP reply sender (fault-injection tests). */
  readonly callbackSender?: CallbackSender;
  /** Makes local trainers die on purpose (fault-injection tests). */
  readonly trainerFaults?: LocalTrainerFaults;
  /** Accelerator limits per region (JSON); absent: quota not checked. */
  readonly quotasFile?: string;
  /**
   * Test-only: actions run when the virtual clock reaches their instant,
   * the clock held until each settles (operator command tests).
   */
  readonly atVirtualTime?: readonly VirtualTimeAction[];
}

/** Test-only: something a test does at a virtual instant of a demo. */
export interface VirtualTimeAction {
  readonly atMs: number;
  readonly action: (world: LocalWorld) => Promise<void>;
}

/** The demo's outcome, as `--json` prints it. */
export interface DemoResult {
  readonly jobId: string | null;
  readonly status: 'completed' | 'cancelled' | 'rejected' | 'failed';
  readonly plan: {
    readonly region: string;
    readonly start: string;
    readonly end: string;
    readonly mode: string;
    readonly why: string;
    readonly expectedEmissionsKg: number;
    readonly signal: string;
  } | null;
  readonly pauses: number;
  readonly pauseDetails: readonly Record<string, unknown>[];
  readonly emissionsKg: number | null;
  readonly scope2Kg: number | null;
  readonly embodiedKg: number | null;
  readonly counterfactualEmissionsKg: number | null;
  readonly counterfactualRegion: string | null;
  readonly savedPercent: number | null;
  readonly savedScope2Percent: number | null;
  readonly ledgerRows: number;
  readonly ledgerTotalKg: number | null;
  readonly training: {
    readonly steps: number | null;
    readonly heldOutAccuracy: number | null;
  } | null;
  readonly dataSource: string | null;
  /** End of the last segment: the trainer's last step (RFC 3339). */
  readonly trainedUntil: string | null;
  /** When the final footprint rows were recorded (RFC 3339). */
  readonly recordedAt: string | null;
  readonly virtualStart: string;
  readonly virtualEnd: string;
  readonly runDirectory: string;
  readonly rejectedReasons?: readonly {field: string; problem: string}[];
  readonly error?: string;
}

/**
 * Runs one job through the whole lifecycle locally and reports it. The
 * job is published to `job-requests`, the entry point a user has.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  mkdirSync(options.runDirectory, {recursive: true});
  let nowMs = () => options.nowMs;
  const logger = createDemoLogger(options, () => nowMs());
  const world = await startLocalWorld({
    startMs: options.nowMs,
    runDirectory: options.runDirectory,
    logger,
    maxSpeed: options.speed,
    oracle: options.oracle,
    ...(options.emulatorAddress
      ? {emulatorAddress: options.emulatorAddress}
      : {}),
    ...(options.projectId ? {projectId: options.projectId} : {}),
    ...(options.callbackSender
      ? {callbackSender: options.callbackSender}
      : {}),
    ...(options.trainerFaults ? {trainerFaults: options.trainerFaults} : {}),
    ...(options.quotasFile !== undefined
      ? {quotasFile: options.quotasFile}
      : {}),
  });
  nowMs = () => world.clock.nowMs();
  const actionErrors: unknown[] = [];
  for (const {atMs, action} of options.atVirtualTime ?? []) {
    void world.clock.sleepUntil(atMs).then(async () => {
      const release = world.clock.hold(`test action at ${atMs}`);
      try {
        await action(world);
      } catch (error) {
        actionErrors.push(error);
      } finally {
        release();
      }
    });
  }
  try {
    const text = await readFile(options.jobFile, 'utf8');
    const messageId = await world.publisher.publishEncoded(
      'job-requests', Buffer.from(text).toString('base64'));
    const base = {
      virtualStart: new Date(options.nowMs).toISOString(),
      runDirectory: options.runDirectory,
    };

    // Time runs until the job ends, or ingest-job refused it.
    const rejected = () =>
      world.publisher.inFlightCount() === 0 && !world.lifecycle.hasStarted();
    let jobId: string | null = null;
    await world.clock.run(() => {
      if (rejected()) return true;
      const started = world.lifecycle.startedJobIds();
      jobId = started[0] ?? null;
      return jobId !== null && world.lifecycle.outcomeOf(jobId) !== undefined;
    });
    const virtualEnd = new Date(world.clock.nowMs()).toISOString();
    if (jobId === null) {
      const message = await waitForAuditedMessage(world.pubsub, 'job-rejected',
        (m) => m.attributes.sourceMessageId === messageId);
      const body = message.body as {reasons: {field: string; problem: string}[]};
      return emptyResult({...base, virtualEnd, status: 'rejected',
        rejectedReasons: body.reasons});
    }
    if (actionErrors.length > 0) throw actionErrors[0];
    return await collectResult(world, jobId, {...base, virtualEnd});
  } finally {
    await world.close();
  }
}

async function collectResult(
  world: Awaited<ReturnType<typeof startLocalWorld>>,
  jobId: string,
  base: {virtualStart: string; virtualEnd: string; runDirectory: string},
): Promise<DemoResult> {
  const outcome = world.lifecycle.outcomeOf(jobId)!;
  const snapshot = await readJson<JobSnapshot>(world.blobs,
    jobKeys.snapshot(jobId));
  const plan = snapshot?.planPointer
    ? await readJson<StoredPlan>(world.blobs, snapshot.planPointer)
    : undefined;
  if (outcome.status !== 'succeeded') {
    return emptyResult({...base, status: 'failed', jobId,
      error: outcome.status === 'killed'
        ? outcome.reason : JSON.stringify(outcome.error)});
  }
  const result = outcome.result as {
    status?: string;
    pauses: Record<string, unknown>[];
    summary: Record<string, number | null | string | boolean>;
  };
  const summary = result.summary;

  // The totals again, from the ledger rows alone.
  const totals = await world.ledger.query(
    `SELECT * FROM (${JOB_TOTALS_SQL}) WHERE job_id = '${jobId}'`);
  const rows = await world.ledger.query(
    `SELECT count(*) AS n, ${DUCKDB_DIALECT.isoTimestamp('max(recorded_at)')}` +
      ` AS recorded_at FROM footprints WHERE job_id = '${jobId}' ` +
      "AND footprint_kind <> 'progress'");
  const last = snapshot?.segments.at(-1);
  const lastStatus = last
    ? world.training.getJob(last.trainingJobName) : undefined;
  const first = plan?.segments[0];
  return {
    ...base,
    jobId,
    status: result.status === 'cancelled' ? 'cancelled' : 'completed',
    plan: plan && first ? {
      region: first.regionId,
      start: new Date(first.startMs).toISOString(),
      end: new Date(plan.segments.at(-1)!.endMs).toISOString(),
      mode: plan.mode,
      why: plan.why,
      expectedEmissionsKg: plan.expectedEmissionsGrams / 1000,
      signal: plan.signalProvider,
    } : null,
    pauses: result.pauses.length,
    pauseDetails: result.pauses,
    emissionsKg: numberOrNull(summary.emissionsKg),
    scope2Kg: numberOrNull(summary.scope2Kg),
    embodiedKg: numberOrNull(summary.embodiedKg),
    counterfactualEmissionsKg: numberOrNull(summary.counterfactualEmissionsKg),
    counterfactualRegion: plan?.counterfactual.regionId ?? null,
    savedPercent: numberOrNull(summary.savedPercent),
    savedScope2Percent: numberOrNull(summary.savedScope2Percent),
    ledgerRows: Number(rows[0]?.n ?? 0),
    ledgerTotalKg: numberOrNull(totals[0]?.actual_total_kgco2e),
    training: lastStatus ? {
      steps: lastStatus.step,
      heldOutAccuracy: lastStatus.heldOutAccuracy,
    } : null,
    dataSource: typeof summary.intensitySource === 'string'
      ? summary.intensitySource : null,
    trainedUntil: last?.endedAtMs === undefined
      ? null : new Date(last.endedAtMs).toISOString(),
    recordedAt: typeof rows[0]?.recorded_at === 'string'
      ? rows[0].recorded_at : null,
  };
}

function emptyResult(
  fields: Partial<DemoResult> & Pick<DemoResult,
    'status' | 'virtualStart' | 'virtualEnd' | 'runDirectory'>,
): DemoResult {
  return {
    jobId: null, plan: null, pauses: 0, pauseDetails: [], emissionsKg: null,
    scope2Kg: null, embodiedKg: null, counterfactualEmissionsKg: null,
    counterfactualRegion: null, savedPercent: null, savedScope2Percent: null,
    ledgerRows: 0, ledgerTotalKg: null, training: null, dataSource: null,
    trainedUntil: null, recordedAt: null,
    ...fields,
  };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

// Every entry goes to the run's log file; milestones also to stderr.
function createDemoLogger(
  options: DemoOptions,
  nowMs: () => number,
): Logger {
  const file = path.join(options.runDirectory, 'functions.log');
  return {
    log(severity: Severity, message: string, fields: object = {}) {
      const at = new Date(nowMs()).toISOString();
      appendFileSync(file,
        JSON.stringify({severity, message, virtualTime: at, ...fields}) + '\n');
      const line = describeProgress(at, message, fields as Record<string, unknown>);
      if (line && !options.json) process.stderr.write(line + '\n');
    },
  };
}
