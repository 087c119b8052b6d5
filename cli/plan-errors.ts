/**
 * The error the plan command reports: the field, what was wrong, what to
 * do, and whether the input was unusable (exit 2) or infeasible (exit 1).
 */
import {SchedulerError} from '../shared/errors.js';

/** A region left out of the plan: a reason code and a sentence. */
export interface ExcludedRegion {
  readonly region: string;
  /** Machine reason, e.g. `residency`, `no-signal-data`. */
  readonly reason: string;
  /** The same in words, naming the region and the cause. */
  readonly detail: string;
}

/** A plan request the command cannot answer. */
export class PlanCommandError extends SchedulerError {
  readonly field: string;
  readonly exitCode: 1 | 2;
  /** Every region left out, when that is why there is no plan. */
  readonly excluded: readonly ExcludedRegion[] | null;

  /**
   * @param field - the flag or job field, e.g. `--deadline`
   * @param problem - what was wrong
   * @param allowed - what is accepted, or what to do instead
   * @param kind - `input` (exit 2) or `infeasible` (exit 1)
   * @param excluded - the regions left out, when none is left
   */
  constructor(field: string, problem: string, allowed: string,
    kind: 'input' | 'infeasible' = 'input',
    excluded: readonly ExcludedRegion[] | null = null) {
    super(kind === 'input' ? 'plan-input-invalid' : 'plan-infeasible',
      `${field}: ${problem}; ${allowed}`);
    this.field = field;
    this.exitCode = kind === 'input' ? 2 : 1;
    this.excluded = excluded;
  }
}
