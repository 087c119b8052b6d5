/** The typed errors of the region catalog. */
import {SchedulerError} from '../errors.js';

/** A region id that the catalog does not list. */
export class UnknownRegionError extends SchedulerError {
  readonly regionId: string;

  /**
   * @param regionId - the id asked for
   * @param knownIds - catalog ids; a few are named in the message
   */
  constructor(regionId: string, knownIds: readonly string[]) {
    const examples = knownIds.slice(0, 5).join(', ');
    super(
      'unknown-region',
      `region "${regionId}" is not in the region catalog; expected a ` +
        `Google Cloud region id such as ${examples} ` +
        `(${knownIds.length} known)`,
    );
    this.regionId = regionId;
  }
}

/** A shipped data file that does not have the shape the catalog reads. */
export class CatalogDataError extends SchedulerError {
  constructor(fileName: string, problem: string) {
    super('catalog-data-invalid', `${fileName}: ${problem}`);
  }
}
