import {
  applyCommands,
  effectiveDeadlineMs,
  operatorHoldOf,
  type ApplyCommandsResult,
  type DecisionPoint,
} from '../../shared/jobs/apply-command.js';
import {
  listCommands,
  markApplied,
} from '../../shared/jobs/job-command-store.js';
import type {JobSnapshot} from '../../shared/jobs/job-snapshot.js';
import {
  commandProjectOf,
  toAppliedCommandRow,
} from '../../shared/ledger/command-rows.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** What the pending operator commands made of one decision point. */
export interface OperatorOutcome {
  readonly result: ApplyCommandsResult;
  /**
   * The reply the step gives because of the commands (with the cancel's
   * commandId), or null when the policy decides as usual.
   */
  readonly answer: Record<string, unknown> | null;
  /**
   * Writes each command's `applied` ledger row, then marks its record
   * with what became of it; call once the snapshot that notes them is
   * written (a crash in between applies them again, which the rules
   * make harmless, and repeats the rows' insert ids).
   */
  readonly markApplied: () => Promise<void>;
}

/** The decision points a monitor request can name in `phase`. */
export const MONITOR_PHASES: readonly DecisionPoint[] =
  ['running', 'waiting', 'paused'];

/**
 * Reads the job's pending commands, applies them at this decision point
 * and notes them on the snapshot (a decision record; a cancellation
 * record for a cancel). The caller writes the snapshot, then calls
 * `markApplied`.
 */
export async function takeOperatorCommands(
  dependencies: SchedulerDependencies,
  input: {
    readonly point: DecisionPoint;
    readonly snapshot: JobSnapshot;
    readonly requestDeadlineMs: number;
  },
): Promise<OperatorOutcome> {
  const {blobs, clock, logger} = dependencies;
  const {snapshot, point} = input;
  const nowMs = clock.nowMs();

  // Step 1: what was settled before, and what waits.
  const records = await listCommands(blobs, snapshot.jobId);
  const settled = records.filter((record) => record.status !== 'pending');
  const pending = records.filter((record) => record.status === 'pending');
  const result = applyCommands({
    point,
    pending,
    heldBefore: operatorHoldOf(settled),
    deadlineMs: effectiveDeadlineMs(input.requestDeadlineMs, settled),
    nowMs,
  });

  // Step 2: the snapshot keeps what the commands did.
  if (result.applied.length > 0) {
    snapshot.decisions.push({
      atMs: nowMs,
      decision: String(result.answer?.['decision'] ?? 'none'),
      reason: 'operator-commands',
      details: {point, commands: result.applied},
    });
  }

  // Step 3: a cancel is kept on the snapshot with who asked.
  let answer = result.answer;
  if (result.decision.kind === 'cancel') {
    const cancel = result.applied.find(
      (applied) => applied.application.outcome === 'applied')!;
    const record = pending.find(
      (candidate) => candidate.command.commandId === cancel.commandId);
    snapshot.cancellation = {
      commandId: cancel.commandId,
      atMs: nowMs,
      requestedBy: record?.requestedBy.identity ?? null,
      checkpointFirst: result.decision.checkpointFirst,
    };
    answer = {...answer, commandId: cancel.commandId};
  }

  // Step 4: each command learns its fate, once the caller says: first
  // its `applied` row in the ledger (a retry repeats the insert ids),
  // then its record, so a command marked applied always has its row.
  const markAll = async () => {
    if (result.applied.length === 0) return;
    const projectId = await commandProjectOf(blobs, snapshot.jobId);
    await dependencies.ledger.append('commands', result.applied.map(
      (applied) => toAppliedCommandRow(
        pending.find((record) =>
          record.command.commandId === applied.commandId)!,
        applied.application, point,
        {projectId, recordedAtMs: clock.nowMs()})));
    for (const applied of result.applied) {
      await markApplied(blobs, snapshot.jobId, applied.commandId,
        applied.application);
      logger.log('NOTICE', 'operator command applied', {
        jobId: snapshot.jobId, commandId: applied.commandId,
        command: applied.command, point,
        outcome: applied.application.outcome,
        reason: applied.application.reason,
      });
    }
  };
  return {result, answer, markApplied: markAll};
}
