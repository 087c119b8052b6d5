/**
 * One human line for a milestone log entry (those marked `progress`), or
 * null for every other entry.
 */
export function describeProgress(
  virtualTime: string,
  message: string,
  fields: Record<string, unknown>,
): string | null {
  if (fields.progress !== true) return null;
  const at = `[${virtualTime.slice(0, 16).replace('T', ' ')}Z]`;
  switch (message) {
    case 'forecasts fetched':
      return `${at} forecasts fetched for ${listOf(fields.regions)} ` +
        `(${fields.excluded} regions excluded)`;
    case 'plan chosen':
      return `${at} plan: ${fields.regionId} from ${fields.startAt} ` +
        `(${fields.mode}) because ${fields.why}`;
    case 'training launched':
      return `${at} training launched in ${fields.regionId}`;
    case 'monitor decision':
      return `${at} monitor: ${fields.decision} (${fields.reason}) at ` +
        `${round(fields.readingGramsPerKilowattHour)} gCO2e/kWh, expected ` +
        `saving ${round(fields.expectedSavingGrams)} g, slack ` +
        `${hours(fields.slackMs)} h, resume at ${fields.resumeAt}`;
    case 'training paused after a checkpoint':
      return `${at} paused after the checkpoint at step ${fields.checkpointStep}`;
    case 'training resumed':
      return `${at} resumed in ${fields.regionId} from step ${fields.fromStep}`;
    case 'training completed':
      return `${at} ${noticed(fields)} training completed: last step ` +
        `${fields.step} at ${fields.endedAt ?? 'an unknown time'}, ` +
        `held-out accuracy ${round(fields.heldOutAccuracy, 3)}`;
    case 'training failed':
      return `${at} ${noticed(fields)} training failed: last step ` +
        `${fields.step ?? 'unknown'} at ${fields.endedAt ?? 'an unknown time'}`;
    case 'footprint recorded':
      return `${at} footprint recorded: ${round(fields.emissionsKg, 3)} kgCO2e ` +
        `(counterfactual ${round(fields.counterfactualEmissionsKg, 3)})`;
    default:
      return `${at} ${message}`;
  }
}

// The log's time is the monitor poll that saw the end, not the end.
function noticed(fields: Record<string, unknown>): string {
  const seconds = fields.pollIntervalSeconds;
  return typeof seconds === 'number'
    ? `monitor poll (every ${minutes(seconds)}) found`
    : 'monitor found';
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function listOf(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function round(value: unknown, digits = 0): string {
  return typeof value === 'number' ? value.toFixed(digits) : 'n/a';
}

function hours(milliseconds: unknown): string {
  return typeof milliseconds === 'number'
    ? (milliseconds / 3_600_000).toFixed(1) : 'n/a';
}
