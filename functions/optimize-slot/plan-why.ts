import type {StoredPlan} from '../../shared/jobs/stored-plan.js';

/** What the why of a plan is built from. */
export interface PlanWhyInput {
  readonly mode: StoredPlan['mode'];
  /** The chosen plan's runs, in order. */
  readonly segments: StoredPlan['segments'];
  /** The chosen plan's expected grams, overheads included. */
  readonly expectedEmissionsGrams: number;
  /** The greenest contiguous window (the answer or the yardstick). */
  readonly contiguous: {
    readonly regionId: string;
    readonly startMs: number;
    readonly averageGramsPerKilowattHour: number;
  };
  readonly considered: StoredPlan['regionsConsidered'];
  readonly excludedCount: number;
}

/**
 * The plan's `why`, describing the plan that was chosen: for segments
 * their count, regions, pauses and expected grams, with the best
 * contiguous window after it as a labelled comparison; for a contiguous
 * plan the window itself. Then the next best regions and the exclusions.
 */
export function explainPlan(input: PlanWhyInput): string {
  const {contiguous} = input;
  const best = input.considered.find((region) =>
    region.regionId === contiguous.regionId);
  const window = `${grams(best?.expectedEmissionsGrams)}: energy x PUE x ` +
    'a forecast average of ' +
    `${contiguous.averageGramsPerKilowattHour.toFixed(0)} gCO2e/kWh`;
  const chosen = input.mode === 'segments'
    ? `${describeSegments(input.segments)} had the lowest expected ` +
      `emissions: ${grams(input.expectedEmissionsGrams)} with checkpoint ` +
      'and restart overheads; for comparison (not chosen), the best ' +
      `contiguous window, ${contiguous.regionId} from ` +
      `${instant(contiguous.startMs)}, expected ${window}`
    : `${contiguous.regionId} had the lowest expected emissions of its ` +
      `best contiguous window (${window})`;
  const others = input.considered
    .filter((region) => region.regionId !== contiguous.regionId &&
      region.expectedEmissionsGrams !== null)
    .sort((a, b) => a.expectedEmissionsGrams! - b.expectedEmissionsGrams!)
    .slice(0, 3)
    .map((region) =>
      `${region.regionId} ${grams(region.expectedEmissionsGrams)}`);
  const nextBest = input.mode === 'segments'
    ? 'next best contiguous windows' : 'next best';
  return chosen +
    (others.length ? `; ${nextBest}: ${others.join(', ')}` : '') +
    `; ${input.excludedCount} region(s) excluded by constraints or data`;
}

// "2 segments in R with 1 pause (S to E, S to E)".
function describeSegments(segments: StoredPlan['segments']): string {
  const regions = [...new Set(segments.map((s) => s.regionId))];
  const pauses = segments.length - 1;
  const spans = segments
    .map((s) => `${instant(s.startMs)} to ${instant(s.endMs)}`)
    .join(', ');
  return `${count(segments.length, 'segment')} in ${regions.join(', ')} ` +
    `with ${count(pauses, 'pause')} (${spans})`;
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function grams(value: number | null | undefined): string {
  return value === null || value === undefined
    ? 'n/a' : `${value.toFixed(0)} g`;
}

// RFC 3339 to the minute: the same instant the plan's segments hold.
function instant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}
