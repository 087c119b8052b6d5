/** The typed errors of carbon-signal providers. */
import {SchedulerError} from '../errors.js';

/** The provider has no signal at all for the zone. */
export class NoSignalForZoneError extends SchedulerError {
  readonly zone: string;

  /**
   * @param zone - the zone asked for
   * @param provider - the provider's source label
   * @param knownZones - zones it does serve; a few go in the message
   */
  constructor(zone: string, provider: string, knownZones: readonly string[]) {
    const examples = knownZones.slice(0, 6).join(', ');
    super(
      'no-signal-for-zone',
      `zone "${zone}" has no signal from ${provider}; ` +
        (knownZones.length > 0
          ? `it serves ${knownZones.length} zones, e.g. ${examples}`
          : 'it serves no zones'),
    );
    this.zone = zone;
  }
}

/** The zone is served, but not for the instant or range asked for. */
export class NoSignalDataError extends SchedulerError {
  readonly zone: string;

  /**
   * @param zone - the zone asked for
   * @param what - what was asked, e.g. `latest at 2023-01-01T00:00:00.000Z`
   * @param coverage - what the provider holds, in words
   */
  constructor(zone: string, what: string, coverage: string) {
    super(
      'no-signal-data',
      `zone "${zone}": no data for ${what}; data covers ${coverage}`,
    );
    this.zone = zone;
  }
}

/** A shipped trace file that does not have the expected shape. */
export class TraceFormatError extends SchedulerError {
  constructor(fileName: string, lineNumber: number, problem: string) {
    super('trace-format', `${fileName} line ${lineNumber}: ${problem}`);
  }
}

/** A forecast asked for with a horizon that is not a positive length. */
export class ForecastHorizonError extends SchedulerError {
  constructor(horizonHours: number) {
    super(
      'invalid-forecast-horizon',
      `horizonHours is ${horizonHours}; it must be a positive, finite ` +
        'number of hours',
    );
  }
}
