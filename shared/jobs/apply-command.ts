import type {
  CommandApplication,
  JobCommandRecord,
} from './job-command-store.js';

/**
 * How operator commands take effect. The lifecycle reads the pending
 * commands at its decision points (the monitor poll while a segment
 * runs, the wake-ups while it waits for its slot or for a resume) and
 * asks {@link applyCommands} what to do. Pure: no storage, no clock.
 *
 * Rules, applied in the order the commands arrived:
 * - cancel ends the job; a running segment is checkpointed first. Every
 *   other command of the batch is superseded.
 * - run-now: while waiting, start now; while paused, resume now; it also
 *   lifts an operator pause. While running it has no effect.
 * - extend gives the pause policy a new, later deadline.
 * - pause: while running, checkpoint and stop now, then hold until a
 *   resume; while waiting or paused, hold.
 * - resume lifts an operator pause; while paused it resumes now.
 */

/** Where the lifecycle stands when it asks. */
export type DecisionPoint = 'running' | 'waiting' | 'paused';

/** What the lifecycle does because of the commands. */
export type CommandDecision =
  | {readonly kind: 'none'}
  | {readonly kind: 'cancel'; readonly checkpointFirst: boolean}
  | {readonly kind: 'start-now'}
  | {readonly kind: 'pause-and-hold'}
  | {readonly kind: 'hold'}
  | {readonly kind: 'resume-now'};

/** What {@link applyCommands} is given. */
export interface ApplyCommandsInput {
  readonly point: DecisionPoint;
  /** Pending commands, oldest first. */
  readonly pending: readonly JobCommandRecord[];
  /** Whether an operator pause from earlier commands is in effect. */
  readonly heldBefore: boolean;
  /** The deadline in force before these commands. */
  readonly deadlineMs: number;
  readonly nowMs: number;
}

/** One command and what became of it. */
export interface AppliedCommand {
  readonly commandId: string;
  readonly command: string;
  readonly application: CommandApplication;
}

/**
 * The answer the step should give. `null`: the commands leave the
 * decision to the policy (the monitor decides as usual; a wait goes on).
 */
export type StepAnswer = Record<string, unknown> | null;

/** What the commands change. */
export interface ApplyCommandsResult {
  readonly decision: CommandDecision;
  /** The deadline the policy should use from now on. */
  readonly deadlineMs: number;
  /** Whether an operator pause is in effect afterwards. */
  readonly held: boolean;
  readonly applied: readonly AppliedCommand[];
  /** The reply for the monitor or wait step, or null (see StepAnswer). */
  readonly answer: StepAnswer;
}

/** Decides what the pending commands do at this decision point. */
export function applyCommands(
  input: ApplyCommandsInput,
): ApplyCommandsResult {
  const {point, nowMs} = input;
  const applied: AppliedCommand[] = [];
  const note = (
    record: JobCommandRecord,
    outcome: CommandApplication['outcome'],
    reason: string,
  ) => applied.push({
    commandId: record.command.commandId,
    command: record.command.command,
    application: {atMs: nowMs, outcome, reason},
  });

  // Step 1: a cancel anywhere in the batch ends the job.
  const cancel = input.pending.find((r) => r.command.command === 'cancel');
  if (cancel) {
    for (const record of input.pending) {
      if (record === cancel) {
        note(record, 'applied', point === 'running'
          ? 'checkpoint, then stop the running segment'
          : `stop the job while ${point}`);
      } else {
        note(record, 'superseded', `cancelled by ${cancel.command.commandId}`);
      }
    }
    const decision: CommandDecision = {
      kind: 'cancel', checkpointFirst: point === 'running'};
    return {decision, deadlineMs: input.deadlineMs, held: false, applied,
      answer: answerFor(point, decision)};
  }

  // Step 2: fold the rest in arrival order.
  let held = input.heldBefore;
  let deadlineMs = input.deadlineMs;
  let startNow = false;
  for (const record of input.pending) {
    const {command} = record;
    switch (command.command) {
      case 'extend': {
        const requestedMs = Date.parse(command.deadline ?? '');
        if (!Number.isFinite(requestedMs) || requestedMs <= deadlineMs) {
          note(record, 'no-effect', 'the deadline in force is already as ' +
            'late or later');
        } else {
          deadlineMs = requestedMs;
          note(record, 'applied',
            `deadline now ${new Date(requestedMs).toISOString()}`);
        }
        break;
      }
      case 'pause':
        if (held) {
          note(record, 'no-effect', 'already held by an operator pause');
        } else {
          held = true;
          note(record, 'applied', point === 'running'
            ? 'checkpoint and stop now, hold until resume'
            : 'hold until resume');
        }
        break;
      case 'resume':
        if (held) {
          held = false;
          startNow = point === 'paused';
          note(record, 'applied', point === 'paused'
            ? 'operator pause lifted, resume now'
            : 'operator pause lifted');
        } else if (point === 'paused') {
          startNow = true;
          note(record, 'applied', 'resume now');
        } else {
          note(record, 'no-effect', `nothing to resume while ${point}`);
        }
        break;
      case 'run-now':
        if (point === 'running' && !held) {
          note(record, 'no-effect', 'already running');
        } else {
          held = false;
          startNow = point !== 'running';
          note(record, 'applied', point === 'running'
            ? 'operator pause lifted, keep running'
            : point === 'waiting' ? 'start now' : 'resume now');
        }
        break;
      case 'cancel':
        break; // handled in step 1
    }
  }

  // Step 3: what the step does with the outcome.
  const decision = decide(point, held, startNow, input.heldBefore);
  return {decision, deadlineMs, held, applied,
    answer: answerFor(point, decision, deadlineMs, input.deadlineMs)};
}

function decide(
  point: DecisionPoint,
  held: boolean,
  startNow: boolean,
  heldBefore: boolean,
): CommandDecision {
  if (point === 'running') {
    return held && !heldBefore ? {kind: 'pause-and-hold'} : {kind: 'none'};
  }
  if (held) return {kind: 'hold'};
  if (startNow) {
    return point === 'waiting' ? {kind: 'start-now'} : {kind: 'resume-now'};
  }
  return {kind: 'none'};
}

/**
 * The step reply for a decision, in the words lifecycle.yaml reads:
 * `decision` is cancel, pause (with `hold: true` and no resumeAt), hold,
 * start-now or resume. A changed deadline travels as `deadline`.
 */
function answerFor(
  point: DecisionPoint,
  decision: CommandDecision,
  deadlineMs?: number,
  deadlineBeforeMs?: number,
): StepAnswer {
  const deadline = deadlineMs !== undefined && deadlineMs !== deadlineBeforeMs
    ? {deadline: new Date(deadlineMs).toISOString()} : {};
  switch (decision.kind) {
    case 'cancel':
      return {decision: 'cancel', checkpointFirst: decision.checkpointFirst,
        reason: 'operator-cancel'};
    case 'pause-and-hold':
      return {decision: 'pause', hold: true, resumeAt: null,
        reason: 'operator-pause', ...deadline};
    case 'hold':
      return {decision: 'hold', reason: 'operator-pause', ...deadline};
    case 'start-now':
      return {decision: 'start-now', reason: 'operator-run-now', ...deadline};
    case 'resume-now':
      return {decision: 'resume', reason: 'operator-resume', ...deadline};
    case 'none':
      return point === 'waiting' && deadlineMs !== deadlineBeforeMs
        ? {decision: 'wait', reason: 'deadline-extended', ...deadline}
        : null;
  }
}

/**
 * Whether an operator pause is in effect after the applied commands:
 * the last applied pause, resume or run-now decides.
 */
export function operatorHoldOf(records: readonly JobCommandRecord[]): boolean {
  let held = false;
  for (const record of records) {
    if (record.status !== 'applied' ||
        record.application?.outcome !== 'applied') continue;
    const name = record.command.command;
    if (name === 'pause') held = true;
    if (name === 'resume' || name === 'run-now') held = false;
  }
  return held;
}

/**
 * The deadline in force: the request's, moved later by each accepted
 * extend (pending or applied). Rejected commands do not count.
 */
export function effectiveDeadlineMs(
  requestDeadlineMs: number,
  records: readonly JobCommandRecord[],
): number {
  let deadlineMs = requestDeadlineMs;
  for (const record of records) {
    if (record.status === 'rejected' || record.command.command !== 'extend') {
      continue;
    }
    const requestedMs = Date.parse(record.command.deadline ?? '');
    if (Number.isFinite(requestedMs) && requestedMs > deadlineMs) {
      deadlineMs = requestedMs;
    }
  }
  return deadlineMs;
}
