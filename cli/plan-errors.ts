/**
 * The error the plan command reports: the field, what was wrong, what to
 * do, and whether the input was unusable (exit 2) or infeasible (exit 1).
 */
import {SchedulerError} from '../shared/errors.js';

/** A plan request the command cannot answer. */
export class PlanCommandError extends SchedulerError {
  readonly field: string;
  readonly exitCode: 1 | 2;

  /**
   * @param field - the flag or job field, e.g. `--deadline`
   * @param problem - what was wrong
   * @param allowed - what is accepted, or what to do instead
   * @param kind - `input` (exit 2) or `infeasible` (exit 1)
   */
  constructor(field: string, problem: string, allowed: string,
    kind: 'input' | 'infeasible' = 'input') {
    super(kind === 'input' ? 'plan-input-invalid' : 'plan-infeasible',
      `${field}: ${problem}; ${allowed}`);
    this.field = field;
    this.exitCode = kind === 'input' ? 2 : 1;
  }
}
