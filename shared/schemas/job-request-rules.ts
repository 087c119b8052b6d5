/**
 * Rules across fields of a job request that a field-by-field schema
 * cannot state: the window between earliest start (or now) and deadline
 * must hold the job, the deadline must lie ahead, the job must last at
 * least one checkpoint interval, regions must be in the catalog, and the
 * machine type must carry the accelerators named (the power model's
 * hardware tables).
 *
 * The input may be invalid elsewhere: each rule looks only at fields that
 * are individually well formed, so it never repeats a field's own error.
 */

import {isPlannableAcceleratorType} from '../catalog/accelerator-types.js';
import {knownAcceleratorMachineTypes} from '../footprint/accelerators.js';
import {hardwareProblem} from '../footprint/hardware-consistency.js';

/** One rule broken: where, and what to do about it. */
export interface RuleIssue {
  readonly path: (string | number)[];
  readonly message: string;
  /** Fields the rule reads: an error in any of them makes it moot. */
  readonly dependsOn: readonly string[];
}

/** What rules beyond the document need; each is optional. */
export interface RuleContext {
  /** The current instant; without it, rules relative to now are skipped. */
  readonly nowMs?: number;
  /** Known region ids; without them, region membership is not checked. */
  readonly regionIds?: readonly string[];
  /**
   * Machine types the hardware data knows; without them, only whether
   * the machine type carries the accelerators is checked.
   */
  readonly machineTypes?: readonly string[];
}

const HOUR_MS = 3_600_000;
/** The schema's most accelerators per replica. */
const MAX_ACCELERATOR_COUNT = 16;
// Longer than any instant can reach: a duration above it cannot be
// compared with a window (the schema caps durationHours far below).
const MAX_WINDOW_RULE_HOURS = 1e9;
/** checkpointEveryMinutes when the request leaves it out. */
const DEFAULT_CHECKPOINT_MINUTES = 30;

/** Every rule `input` breaks, in field order. */
export function jobRequestRuleIssues(
  input: unknown,
  context: RuleContext,
): RuleIssue[] {
  if (!isRecord(input)) return [];
  return [
    ...regionIssues(input, context),
    ...durationIssues(input),
    ...hardwareIssues(input, context),
    ...windowIssues(input, context),
  ];
}

// The machine type must be known and carry the accelerators named.
function hardwareIssues(
  input: Record<string, unknown>,
  context: RuleContext,
): RuleIssue[] {
  if (!isRecord(input.hardware)) return [];
  const {machineType, acceleratorType, acceleratorCount} = input.hardware;
  if (typeof machineType !== 'string' || machineType === '') return [];
  const known = context.machineTypes;
  if (known && !known.includes(machineType)) {
    return [{
      path: ['hardware', 'machineType'],
      dependsOn: [],
      message: `is not a machine type in the hardware data: ` +
        `"${machineType}"; accelerator machine types: ` +
        `${knownAcceleratorMachineTypes().join(', ')}; or an n1 machine ` +
        'type (e.g. n1-standard-8) with NVIDIA_TESLA_T4 attached',
    }];
  }
  // Only well-formed accelerator fields; the schema reports the others.
  if (typeof acceleratorType !== 'string' ||
      !isPlannableAcceleratorType(acceleratorType) ||
      typeof acceleratorCount !== 'number' ||
      !Number.isInteger(acceleratorCount) || acceleratorCount < 1 ||
      acceleratorCount > MAX_ACCELERATOR_COUNT) {
    return [];
  }
  const problem = hardwareProblem({machineType, acceleratorType,
    acceleratorCount});
  if (!problem) return [];
  return [{
    path: ['hardware', problem.field],
    dependsOn: ['hardware.machineType', 'hardware.acceleratorType',
      'hardware.acceleratorCount'],
    message: problem.problem,
  }];
}

// The job must run at least one checkpoint interval.
function durationIssues(input: Record<string, unknown>): RuleIssue[] {
  const durationHours = positiveNumber(input.durationHours);
  const checkpointMinutes =
    input.checkpointEveryMinutes === undefined
      ? DEFAULT_CHECKPOINT_MINUTES
      : positiveNumber(input.checkpointEveryMinutes);
  if (durationHours === undefined || checkpointMinutes === undefined) {
    return [];
  }
  if (durationHours * 60 >= checkpointMinutes) return [];
  return [{
    path: ['durationHours'],
    dependsOn: ['checkpointEveryMinutes'],
    message: `is ${durationHours} h, shorter than one checkpoint interval ` +
      `(checkpointEveryMinutes = ${checkpointMinutes}, i.e. ` +
      `${round(checkpointMinutes / 60)} h): give at least ` +
      `${round(checkpointMinutes / 60)} h or checkpoint more often`,
  }];
}

// Deadline after the earliest start, ahead of now, and far enough out.
function windowIssues(
  input: Record<string, unknown>,
  context: RuleContext,
): RuleIssue[] {
  const constraints = isRecord(input.constraints) ? input.constraints : {};
  const deadlineMs = instantMs(constraints.deadline);
  if (deadlineMs === undefined) return [];
  const earliestStartMs = instantMs(constraints.earliestStart);
  const path = ['constraints', 'deadline'];
  const dependsOn = ['constraints.earliestStart', 'durationHours'];

  if (earliestStartMs !== undefined && deadlineMs <= earliestStartMs) {
    return [{
      path,
      dependsOn,
      message: `must be after constraints.earliestStart ` +
        `(${String(constraints.earliestStart)}), got ` +
        `${String(constraints.deadline)}`,
    }];
  }
  if (context.nowMs !== undefined && deadlineMs <= context.nowMs) {
    return [{
      path,
      dependsOn,
      message: `is in the past: ${String(constraints.deadline)} is before ` +
        `now (${new Date(context.nowMs).toISOString()}); give a deadline ` +
        'after now that leaves room for the job',
    }];
  }

  const durationHours = positiveNumber(input.durationHours);
  const startMs = Math.max(
    earliestStartMs ?? -Infinity,
    context.nowMs ?? -Infinity,
  );
  if (durationHours === undefined || !Number.isFinite(startMs)) return [];
  // A duration past the schema's limit is reported there, not here.
  if (durationHours > MAX_WINDOW_RULE_HOURS) return [];
  const windowHours = (deadlineMs - startMs) / HOUR_MS;
  if (windowHours >= durationHours) return [];
  const from = startMs === earliestStartMs
    ? `constraints.earliestStart (${String(constraints.earliestStart)})`
    : `now (${new Date(startMs).toISOString()})`;
  return [{
    path,
    dependsOn,
    message: `leaves a window of ${round(windowHours)} h from ${from}, ` +
      `shorter than the job (durationHours = ${durationHours}): set the ` +
      `deadline at or after ` +
      `${new Date(startMs + durationHours * HOUR_MS).toISOString()} or ` +
      'shorten the job',
  }];
}

// Every region named must be one the catalog knows.
function regionIssues(
  input: Record<string, unknown>,
  context: RuleContext,
): RuleIssue[] {
  const known = context.regionIds;
  if (!known) return [];
  const named: {path: (string | number)[]; value: unknown}[] = [
    {path: ['homeRegion'], value: input.homeRegion},
  ];
  if (isRecord(input.dataset)) {
    named.push({path: ['dataset', 'regionId'], value: input.dataset.regionId});
  }
  const constraints = isRecord(input.constraints) ? input.constraints : {};
  if (Array.isArray(constraints.regions)) {
    constraints.regions.forEach((value, index) => {
      named.push({path: ['constraints', 'regions', index], value});
    });
  }
  return named
    .filter(({value}) => typeof value === 'string' &&
      /^[a-z]+-[a-z]+[0-9]+$/.test(value) && !known.includes(value))
    .map(({path, value}) => ({
      path,
      dependsOn: [],
      message: `is not a region in the catalog: "${String(value)}"; ` +
        `allowed: ${known.join(', ')}`,
    }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : undefined;
}

// Only instants with an offset count; the schema reports the others.
function instantMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
