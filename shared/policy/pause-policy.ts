/**
 * The online pause policy: at each poll, continue, pause, stay paused
 * or resume, with hysteresis, a minimum dwell and a hard deadline.
 */
import {PlannerInputError} from '../planner/planner-errors.js';
import {pauseEconomics} from './pause-economics.js';
import type {PauseEconomics} from './pause-economics.js';
import {DEFAULT_DAMPING, INITIAL_MEMORY} from './policy-types.js';
import type {
  DecisionNumbers,
  PauseAction,
  PauseDecision,
  PauseDecisionInput,
  PauseReason,
  PolicyMemory,
} from './policy-types.js';
import {overlayReading} from './reading-overlay.js';

/**
 * Decides one poll. A running job pauses only when the reading has been
 * above the pause threshold for `consecutiveReadings` polls, the dwell
 * has passed, the slack after pausing still covers the work (unsaved
 * work counted as lost) plus the restart, and the expected saving is
 * positive. A paused job resumes when slack runs out (before the next
 * poll would be too late, whatever the grid), when the planned resume
 * time has come and the reading is clean, or when the reading has been
 * below the resume threshold for `consecutiveReadings` polls.
 *
 * @returns the decision, the memory for the next poll, and the numbers
 */
export function decidePauseOrContinue(
  input: PauseDecisionInput,
): PauseDecision {
  checkPolicyInput(input);
  const {config, nowMs} = input;
  const needed = config.consecutiveReadings ??
    DEFAULT_DAMPING.consecutiveReadings;
  const dwellNeededMs = config.minimumDwellMs ??
    DEFAULT_DAMPING.minimumDwellMs;
  const previous = input.memory ?? INITIAL_MEMORY;
  const value = input.reading.gramsPerKilowattHour;

  const aboveStreak = value !== null &&
    value > config.pauseAboveGramsPerKilowattHour ?
    previous.aboveStreak + 1 : 0;
  const belowStreak = value !== null &&
    value < config.resumeBelowGramsPerKilowattHour ?
    previous.belowStreak + 1 : 0;
  const watched = input.state === 'running' ?
    [previous.aboveStreak, aboveStreak] : [previous.belowStreak, belowStreak];
  const rejectedTransient = (watched[0] as number) > 0 &&
    (watched[0] as number) < needed && watched[1] === 0;
  const dwellMs = previous.lastTransitionMs === null ? null :
    nowMs - previous.lastTransitionMs;
  const dwellMet = dwellMs === null || dwellMs >= dwellNeededMs;

  const workAfterPauseMs = input.remainingWorkMs + (input.unsavedWorkMs ?? 0);
  const restartMs = input.restart.durationMs;
  const base = {readingGramsPerKilowattHour: value, aboveStreak, belowStreak,
    dwellMs, slackMs: input.state === 'running' ?
      input.deadlineMs - nowMs - input.remainingWorkMs :
      input.deadlineMs - nowMs - restartMs - input.remainingWorkMs,
    latestResumeMs: input.deadlineMs - restartMs - workAfterPauseMs};
  const memory = {...previous, aboveStreak, belowStreak};
  const decide = (action: PauseAction, reason: PauseReason,
    economics: Partial<PauseEconomics> = {}): PauseDecision => {
    const numbers: DecisionNumbers = {slackAfterPauseMs: null,
      resumeAtMs: null, comparedWorkMs: null, emissionsNowGrams: null,
      emissionsLaterGrams: null, overheadEmissionsGrams: null,
      expectedSavingGrams: null, ...base, ...economics};
    const transition = action === 'pause' || action === 'resume';
    const nextMemory: PolicyMemory = !transition ? memory : {
      aboveStreak: 0, belowStreak: 0, lastTransitionMs: nowMs,
      plannedResumeMs: action === 'pause' ? numbers.resumeAtMs : null};
    const nextState = action === 'pause' || action === 'stay-paused' ?
      'paused' : 'running';
    return {action, reason, nextState, memory: nextMemory,
      rejectedTransient, numbers, inputs: input};
  };

  if (input.state === 'paused') {
    const pollMs = input.pollIntervalMs ?? input.reading.durationMs;
    // the next poll would come too late to finish: resume whatever the grid
    if (base.slackMs < pollMs) return decide('resume', 'deadline');
    if (value === null) return decide('stay-paused', 'missing-reading');
    if (!dwellMet) return decide('stay-paused', 'dwell');
    const planned = previous.plannedResumeMs;
    if (planned !== null && nowMs >= planned &&
      value < config.resumeBelowGramsPerKilowattHour) {
      return decide('resume', 'planned-resume');
    }
    if (belowStreak >= needed) return decide('resume', 'clean-confirmed');
    return decide('stay-paused', belowStreak > 0 ?
      'awaiting-confirmation' : 'still-dirty');
  }

  if (value === null) return decide('continue', 'missing-reading');
  if (aboveStreak === 0) return decide('continue', 'below-pause-threshold');
  if (aboveStreak < needed) return decide('continue', 'awaiting-confirmation');
  if (!dwellMet) return decide('continue', 'dwell');

  // A paused job can resume at a poll at the earliest, so the slack after
  // pausing must reach past the next poll, not only past the dwell.
  const pollMs = input.pollIntervalMs ?? input.reading.durationMs;
  const economics = pauseEconomics({...input,
    series: overlayReading(input.forecast, input.reading),
    unsavedWorkMs: input.unsavedWorkMs ?? 0,
    minimumPauseMs: Math.max(dwellNeededMs, pollMs)});
  if (economics.slackAfterPauseMs < 0) {
    return decide('continue', 'no-slack', economics);
  }
  if (economics.expectedSavingGrams === null) {
    return decide('continue', 'no-forecast', economics);
  }
  if (!(economics.expectedSavingGrams > 0)) {
    return decide('continue', 'no-saving', economics);
  }
  return decide('pause', 'saving', economics);
}

function checkPolicyInput(input: PauseDecisionInput): void {
  const numbers: [string, number][] = [
    ['nowMs', input.nowMs], ['deadlineMs', input.deadlineMs],
    ['remainingWorkMs', input.remainingWorkMs],
    ['unsavedWorkMs', input.unsavedWorkMs ?? 0],
    ['checkpoint.durationMs', input.checkpoint.durationMs],
    ['restart.durationMs', input.restart.durationMs],
    ['itPowerKilowatts', input.itPowerKilowatts],
    ['config.minimumDwellMs', input.config.minimumDwellMs ?? 0],
  ];
  for (const [field, value] of numbers) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new PlannerInputError(field, `${value} is unusable`,
        'a finite number >= 0');
    }
  }
  if (!(input.powerUsageEffectiveness >= 1)) {
    throw new PlannerInputError('powerUsageEffectiveness',
      `${input.powerUsageEffectiveness} is unusable`, 'a finite number >= 1');
  }
  const {pauseAboveGramsPerKilowattHour: pauseAbove,
    resumeBelowGramsPerKilowattHour: resumeBelow} = input.config;
  if (!(Number.isFinite(pauseAbove) && Number.isFinite(resumeBelow) &&
    resumeBelow <= pauseAbove)) {
    throw new PlannerInputError('config.resumeBelowGramsPerKilowattHour',
      `${resumeBelow} with pause threshold ${pauseAbove} is unusable`,
      'finite thresholds, resume at or below pause');
  }
  const readings = input.config.consecutiveReadings ?? 1;
  if (!(Number.isInteger(readings) && readings >= 1)) {
    throw new PlannerInputError('config.consecutiveReadings',
      `${readings} is unusable`, 'a whole number >= 1');
  }
}
