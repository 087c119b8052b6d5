import {listCommands} from '../shared/jobs/job-command-store.js';
import {
  jobKeys,
  readSnapshot,
  type JobSnapshot,
} from '../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../shared/jobs/stored-plan.js';
import {DUCKDB_DIALECT} from '../shared/ledger/sql-dialect.js';
import {readJson, type BlobStore} from '../shared/ports/blob-store.js';
import type {RunStores} from './jobs-run-directory.js';

/** One line of `jobs list`. */
export interface JobListEntry {
  readonly jobId: string;
  readonly state: string;
  /** The Google Cloud project the request names; null if unreadable. */
  readonly project: string | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly segments: number;
  readonly failureReason: string | null;
}

/** What comes next for a job, and when. */
export interface NextDecision {
  readonly what: string;
  /** When, RFC 3339; null when it is not scheduled for a set time. */
  readonly at: string | null;
  readonly why: string;
}

/** Emissions to date, from the ledger. */
export interface EmissionsSoFar {
  /** kgCO2e, location-based total; null when the ledger has none. */
  readonly kilograms: number | null;
  /** Segments with a final row, and those counted from a progress row. */
  readonly finalSegments: number;
  readonly progressSegments: number;
  /** Why there is no figure, when there is none. */
  readonly reason: string | null;
  /** When the newest of the rows counted was recorded; null without. */
  readonly recordedAt: string | null;
}

/** `jobs status ID`. */
export interface JobStatus extends JobListEntry {
  readonly deadline: string | null;
  readonly plan: {
    readonly mode: string;
    readonly why: string;
    readonly expectedEmissionsKg: number;
    readonly signal: string;
    readonly segments: readonly {region: string; start: string; end: string}[];
  } | null;
  readonly segmentsSoFar: readonly {
    readonly index: number;
    readonly region: string;
    readonly trainingJobName: string;
    readonly launchedAt: string;
    readonly startedAt: string | null;
    readonly endedAt: string | null;
    readonly endState: string | null;
    readonly startStep: number | null;
    readonly endStep: number | null;
  }[];
  readonly lastDecision: {at: string; decision: string; reason: string} | null;
  readonly emissionsSoFar: EmissionsSoFar;
  readonly nextDecision: NextDecision | null;
  readonly commands: readonly {
    readonly commandId: string;
    readonly command: string;
    readonly status: string;
    readonly requestedBy: string | null;
    readonly receivedAt: string;
    readonly outcome: string | null;
  }[];
}

interface StoredRequest {
  project?: string;
  constraints?: {deadline?: string};
}

/** The jobs of a run, filtered by state and project, oldest first. */
export async function listJobs(
  blobs: BlobStore,
  filter: {state?: string; project?: string} = {},
): Promise<JobListEntry[]> {
  const ids = (await blobs.list('jobs/'))
    .filter((key) => /^jobs\/[^/]+\/snapshot\.json$/.test(key))
    .map((key) => key.split('/')[1]!);
  const entries: JobListEntry[] = [];
  for (const jobId of ids) {
    const snapshot = await readSnapshot(blobs, jobId);
    if (!snapshot) continue;
    const request = await readJson<StoredRequest>(blobs,
      jobKeys.request(jobId));
    const entry = listEntry(snapshot, request);
    if (filter.state && entry.state !== filter.state) continue;
    if (filter.project && entry.project !== filter.project) continue;
    entries.push(entry);
  }
  return entries.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) ||
    a.jobId.localeCompare(b.jobId));
}

/** One job's status, or undefined when the run has no such job. */
export async function readJobStatus(
  stores: RunStores,
  jobId: string,
  options: {pollSeconds: number},
): Promise<JobStatus | undefined> {
  const {blobs} = stores;
  const snapshot = await readSnapshot(blobs, jobId);
  if (!snapshot) return undefined;
  const request = await readJson<StoredRequest>(blobs, jobKeys.request(jobId));
  const plan = snapshot.planPointer
    ? await readJson<StoredPlan>(blobs, snapshot.planPointer) : undefined;
  const commands = await listCommands(blobs, jobId);
  const last = snapshot.decisions.at(-1);
  return {
    ...listEntry(snapshot, request),
    deadline: request?.constraints?.deadline ?? null,
    plan: plan ? {
      mode: plan.mode,
      why: plan.why,
      expectedEmissionsKg: plan.expectedEmissionsGrams / 1000,
      signal: plan.signalProvider,
      segments: plan.segments.map((s) => ({region: s.regionId,
        start: iso(s.startMs), end: iso(s.endMs)})),
    } : null,
    segmentsSoFar: snapshot.segments.map((s) => ({
      index: s.index,
      region: s.regionId,
      trainingJobName: s.trainingJobName,
      launchedAt: iso(s.launchedAtMs),
      startedAt: isoOrNull(s.startedAtMs),
      endedAt: isoOrNull(s.endedAtMs),
      endState: s.endState ?? null,
      // Records written before launches kept it: the first segment of a
      // job always trains from step 0 (no checkpoint precedes it).
      startStep: s.startStep ?? (s.index === 0 ? 0 : null),
      endStep: s.endStep ?? null,
    })),
    lastDecision: last
      ? {at: iso(last.atMs), decision: last.decision, reason: last.reason}
      : null,
    emissionsSoFar: await emissionsSoFar(stores, jobId),
    nextDecision: nextDecision(snapshot, plan, options.pollSeconds),
    commands: commands.map((record) => ({
      commandId: record.command.commandId,
      command: record.command.command,
      status: record.status,
      requestedBy: record.requestedBy.identity,
      receivedAt: iso(record.receivedAtMs),
      outcome: record.application?.reason ??
        record.rejectionReasons?.map((r) => r.problem).join('; ') ?? null,
    })),
  };
}

function listEntry(
  snapshot: JobSnapshot,
  request: StoredRequest | undefined,
): JobListEntry {
  return {
    jobId: snapshot.jobId,
    state: snapshot.state,
    project: request?.project ?? null,
    submittedAt: iso(snapshot.submittedAtMs),
    updatedAt: iso(snapshot.updatedAtMs),
    segments: snapshot.segments.length,
    failureReason: snapshot.failureReason ?? null,
  };
}

// Final rows where a segment has one, else its latest progress row.
async function emissionsSoFar(
  stores: RunStores,
  jobId: string,
): Promise<EmissionsSoFar> {
  let rows: Record<string, unknown>[];
  try {
    rows = await stores.ledger.query(
      'SELECT segment_index, footprint_kind, end_time, ' +
        `${DUCKDB_DIALECT.isoTimestamp('recorded_at')} AS recorded_at, ` +
        'carbon_footprint_total_location_based_kgco2e AS kilograms ' +
        'FROM footprints WHERE job_id = $jobId AND footprint_kind IN ' +
        "('actual', 'progress') ORDER BY segment_index, end_time",
      {jobId});
  } catch (error) {
    return {kilograms: null, finalSegments: 0, progressSegments: 0,
      reason: `the ledger could not be read: ${(error as Error).message}`,
      recordedAt: null};
  }
  const bySegment = new Map<number,
    {kind: string; kilograms: unknown; recordedAt: unknown}>();
  for (const row of rows) {
    const index = Number(row.segment_index);
    const known = bySegment.get(index);
    if (known?.kind === 'actual') continue;
    bySegment.set(index, {kind: String(row.footprint_kind),
      kilograms: row.kilograms, recordedAt: row.recorded_at});
  }
  if (bySegment.size === 0) {
    return {kilograms: null, finalSegments: 0, progressSegments: 0,
      reason: 'no footprint rows for this job in the ledger yet',
      recordedAt: null};
  }
  let kilograms: number | null = 0;
  let finalSegments = 0;
  let recordedAt: string | null = null;
  for (const entry of bySegment.values()) {
    if (entry.kind === 'actual') finalSegments++;
    if (typeof entry.recordedAt === 'string' &&
        (recordedAt === null || entry.recordedAt > recordedAt)) {
      recordedAt = entry.recordedAt;
    }
    const value = Number(entry.kilograms);
    kilograms = entry.kilograms === null || !Number.isFinite(value) ||
      kilograms === null ? null : kilograms + value;
  }
  return {kilograms, finalSegments,
    progressSegments: bySegment.size - finalSegments,
    reason: kilograms === null
      ? 'a segment has no figure (intensity missing)' : null,
    recordedAt};
}

function nextDecision(
  snapshot: JobSnapshot,
  plan: StoredPlan | undefined,
  pollSeconds: number,
): NextDecision | null {
  const last = snapshot.decisions.at(-1);
  switch (snapshot.state) {
    case 'accepted':
      return {what: 'plan', at: null,
        why: 'forecasts are being fetched for the eligible regions'};
    case 'planned': {
      const start = plan?.segments[0]?.startMs;
      return {what: 'launch', at: isoOrNull(start),
        why: 'the planned start of the first segment'};
    }
    case 'running': {
      const segment = snapshot.segments.at(-1);
      const fromMs = Math.max(last?.atMs ?? 0, segment?.launchedAtMs ?? 0);
      return {what: 'monitor poll', at: iso(fromMs + pollSeconds * 1000),
        why: `a grid check every ${pollSeconds} s while the segment runs`};
    }
    case 'paused': {
      const numbers = last?.details.numbers as
        {resumeAtMs?: number | null} | undefined;
      return {what: 'resume', at: isoOrNull(numbers?.resumeAtMs ?? undefined),
        why: 'when the pause policy expects the grid to be cleaner'};
    }
    default:
      return null;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null | undefined): string | null {
  return ms === undefined || ms === null ? null : iso(ms);
}
