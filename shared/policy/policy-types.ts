/**
 * Inputs, memory and decisions of the online pause policy.
 */
import type {
  IntensityPoint,
  IntensitySeries,
} from '../signals/intensity-series.js';

/** Time and energy one overhead (checkpoint write, restart) costs. */
export interface Overhead {
  readonly durationMs: number;
  /** IT energy; absent: IT power x duration. */
  readonly energyKilowattHours?: number;
}

/** Thresholds and damping; see DEFAULT_DAMPING for the defaults. */
export interface PausePolicyConfig {
  readonly pauseAboveGramsPerKilowattHour: number;
  readonly resumeBelowGramsPerKilowattHour: number;
  /** Readings past a threshold in a row before acting (2). */
  readonly consecutiveReadings?: number;
  /** Least time between two transitions (30 min). */
  readonly minimumDwellMs?: number;
}

/** Defaults for the damping settings. */
export const DEFAULT_DAMPING = {
  consecutiveReadings: 2,
  minimumDwellMs: 30 * 60_000,
} as const;

/** What the policy carries from one poll to the next. */
export interface PolicyMemory {
  /** Readings in a row above the pause threshold. */
  readonly aboveStreak: number;
  /** Readings in a row below the resume threshold. */
  readonly belowStreak: number;
  readonly lastTransitionMs: number | null;
  /** When the last pause planned to resume. */
  readonly plannedResumeMs: number | null;
}

/** The memory of a job that has not yet been polled. */
export const INITIAL_MEMORY: PolicyMemory = {aboveStreak: 0, belowStreak: 0,
  lastTransitionMs: null, plannedResumeMs: null};

export type JobState = 'running' | 'paused';

/** Everything one poll knows. */
export interface PauseDecisionInput {
  readonly state: JobState;
  readonly nowMs: number;
  /** The reading for the interval the job is in now (null: missing). */
  readonly reading: IntensityPoint;
  readonly forecast: IntensitySeries;
  /** Work left at full speed, counting work since the checkpoint done. */
  readonly remainingWorkMs: number;
  /** Work since the last checkpoint; lost for the deadline check. */
  readonly unsavedWorkMs?: number;
  readonly deadlineMs: number;
  readonly checkpoint: Overhead;
  readonly restart: Overhead;
  readonly itPowerKilowatts: number;
  readonly powerUsageEffectiveness: number;
  /** Time to the next poll (the reading's duration). */
  readonly pollIntervalMs?: number;
  readonly config: PausePolicyConfig;
  readonly memory?: PolicyMemory;
}

export type PauseAction = 'continue' | 'pause' | 'stay-paused' | 'resume';

export type PauseReason =
  | 'missing-reading'
  | 'below-pause-threshold'
  | 'awaiting-confirmation'
  | 'dwell'
  | 'no-slack'
  | 'no-forecast'
  | 'no-saving'
  | 'saving'
  | 'deadline'
  | 'planned-resume'
  | 'clean-confirmed'
  | 'still-dirty';

/** The numbers behind a decision, null where a step did not run. */
export interface DecisionNumbers {
  readonly readingGramsPerKilowattHour: number | null;
  readonly aboveStreak: number;
  readonly belowStreak: number;
  /** Time since the last transition; null when there was none. */
  readonly dwellMs: number | null;
  /** Deadline minus now minus the work left (and restart, if paused). */
  readonly slackMs: number;
  /** Latest instant a paused job can resume and still finish. */
  readonly latestResumeMs: number;
  readonly slackAfterPauseMs: number | null;
  readonly resumeAtMs: number | null;
  /** Work compared between now and later (limited by the forecast). */
  readonly comparedWorkMs: number | null;
  readonly emissionsNowGrams: number | null;
  readonly emissionsLaterGrams: number | null;
  readonly overheadEmissionsGrams: number | null;
  readonly expectedSavingGrams: number | null;
}

/** A decision with every input and intermediate number behind it. */
export interface PauseDecision {
  readonly action: PauseAction;
  readonly reason: PauseReason;
  readonly nextState: JobState;
  readonly memory: PolicyMemory;
  /** A streak past a threshold ended before it was confirmed. */
  readonly rejectedTransient: boolean;
  readonly numbers: DecisionNumbers;
  readonly inputs: PauseDecisionInput;
}
