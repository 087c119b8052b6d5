/**
 * Errors of the evaluation: an input that cannot be replayed.
 */
import {SchedulerError} from '../errors.js';

/** A field of the evaluation's input is unusable. */
export class EvaluationInputError extends SchedulerError {
  readonly field: string;

  constructor(field: string, problem: string, expected: string) {
    super('evaluation-input',
      `${field}: ${problem}; expected ${expected}`);
    this.field = field;
  }
}
