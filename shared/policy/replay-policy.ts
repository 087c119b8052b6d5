/**
 * The pause policy run offline over a sequence of readings: for tests,
 * what-if studies and cross-checking a live run's decisions.
 */
import type {
  IntensityPoint,
  IntensitySeries,
} from '../signals/intensity-series.js';
import {decidePauseOrContinue} from './pause-policy.js';
import {INITIAL_MEMORY} from './policy-types.js';
import type {
  JobState,
  PauseDecision,
  PauseDecisionInput,
} from './policy-types.js';

/** A run to replay: one decision per reading, at the reading's start. */
export interface ReplayInput extends Omit<PauseDecisionInput,
  'state' | 'nowMs' | 'reading' | 'forecast' | 'remainingWorkMs' |
  'unsavedWorkMs' | 'memory'> {
  readonly initialState: JobState;
  /** Work left at the first reading, at full speed. */
  readonly workMs: number;
  /** Sorted by start; each is polled at its startMs. */
  readonly readings: readonly IntensityPoint[];
  /** The forecast known at each poll. */
  readonly forecastAt: (nowMs: number) => IntensitySeries;
  /** Work between periodic checkpoints; absent: no unsaved work. */
  readonly checkpointEveryMs?: number;
}

/** A reading whose streak ended before the policy acted on it. */
export interface RejectedTransient {
  readonly startMs: number;
  readonly gramsPerKilowattHour: number | null;
}

export interface ReplayResult {
  readonly decisions: readonly PauseDecision[];
  readonly pauses: number;
  readonly resumes: number;
  /** Checkpoints written to pause (periodic ones are not counted). */
  readonly checkpoints: number;
  readonly rejectedTransients: readonly RejectedTransient[];
  readonly finalState: JobState;
  readonly remainingWorkMs: number;
}

/**
 * Replays the policy. Between polls a running job works at full speed,
 * after any restart overhead; a pausing job spends the checkpoint
 * overhead first. The job stops deciding once its work is done.
 */
export function replayPolicy(input: ReplayInput): ReplayResult {
  const decisions: PauseDecision[] = [];
  const rejectedTransients: RejectedTransient[] = [];
  let pending: RejectedTransient[] = [];
  let state = input.initialState;
  let memory = INITIAL_MEMORY;
  let remainingWorkMs = input.workMs;
  let busyUntilMs = -Infinity; // overhead time that does no work
  let previousMs: number | null = null;
  let pauses = 0;
  let resumes = 0;

  for (const reading of input.readings) {
    const nowMs = reading.startMs;
    if (previousMs !== null && state === 'running') {
      const workedMs = Math.max(0, nowMs - Math.max(previousMs, busyUntilMs));
      remainingWorkMs = Math.max(0, remainingWorkMs - workedMs);
    }
    previousMs = nowMs;
    if (remainingWorkMs === 0) break;

    const doneMs = input.workMs - remainingWorkMs;
    const decision = decidePauseOrContinue({...input, state, nowMs, reading,
      forecast: input.forecastAt(nowMs), remainingWorkMs, memory,
      unsavedWorkMs: input.checkpointEveryMs === undefined ? 0 :
        doneMs % input.checkpointEveryMs});
    decisions.push(decision);

    if (decision.rejectedTransient) {
      rejectedTransients.push(...pending);
      pending = [];
    }
    if (decision.reason === 'awaiting-confirmation') {
      pending.push({startMs: nowMs,
        gramsPerKilowattHour: reading.gramsPerKilowattHour});
    } else if (!decision.rejectedTransient) {
      pending = [];
    }

    if (decision.action === 'pause') {
      pauses += 1;
    } else if (decision.action === 'resume') {
      resumes += 1;
      busyUntilMs = nowMs + input.restart.durationMs;
    }
    state = decision.nextState;
    memory = decision.memory;
  }
  return {decisions, pauses, resumes, checkpoints: pauses,
    rejectedTransients, finalState: state, remainingWorkMs};
}
