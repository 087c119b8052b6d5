/**
 * Typed errors of the footprint model. None is retryable: the same inputs
 * fail the same way until the catalog or the request changes.
 */
import {SchedulerError} from '../errors.js';

const MAX_NAMES_IN_MESSAGE = 40;

/** Hardware the shipped coefficients do not describe. */
export class UnknownHardwareError extends SchedulerError {
  readonly field: string;
  readonly value: string;
  readonly known: readonly string[];

  constructor(field: string, value: string, known: readonly string[]) {
    const shown = known.slice(0, MAX_NAMES_IN_MESSAGE).join(', ');
    const more =
      known.length > MAX_NAMES_IN_MESSAGE ? ` (${known.length} in all)` : '';
    super(
      'unknown-hardware',
      `${field}: "${value}" has no power or embodied coefficients; ` +
        `known values are ${shown}${more}`,
    );
    this.field = field;
    this.value = value;
    this.known = known;
  }
}

/** A machine type paired with accelerators it does not carry. */
export class HardwareMismatchError extends SchedulerError {
  constructor(message: string) {
    super('hardware-mismatch', message);
  }
}

/** A footprint input outside its allowed range. */
export class InvalidFootprintInputError extends SchedulerError {
  readonly field: string;

  constructor(field: string, problem: string, allowed: string) {
    super(
      'invalid-footprint-input',
      `${field}: ${problem}; allowed: ${allowed}`,
    );
    this.field = field;
  }
}

/**
 * A region with no intensity source and no configured fallback factor:
 * its footprint cannot be computed, and is never reported as 0 g.
 */
export class UnmappedRegionError extends SchedulerError {
  readonly regionId: string;

  constructor(regionId: string) {
    super(
      'unmapped-region',
      `regionId: "${regionId}" has no observed intensity series and no ` +
        'fallback factor is configured; configure ' +
        'fallbackIntensity.gramsPerKilowattHour or map the region to a ' +
        'grid zone',
    );
    this.regionId = regionId;
  }
}
