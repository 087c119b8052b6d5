/**
 * The operator's carbon budgets: a monthly `carbonBudgetKg` per Google
 * Cloud project, and what happens to a job that does not fit (reject, or
 * defer it to the next month). Read from operator configuration only,
 * never from a job message, which anyone allowed to publish could forge.
 *
 * Budgets count scope 2 location-based kgCO2e: the forecast figure of the
 * plan is reserved, the measured figure replaces it when the job ends.
 */
import {z} from 'zod';

import {SchedulerError} from '../errors.js';

/** What to do with a job whose forecast does not fit the budget. */
export type OverBudgetAction = 'reject' | 'defer';

const overBudget = z.enum(['reject', 'defer']);

const projectBudget = z.strictObject({
  carbonBudgetKg: z.number().finite().positive()
    .describe('Monthly budget, kgCO2e scope 2 location-based'),
  overBudget: overBudget.optional()
    .describe('Overrides the default action for this project'),
});

/** The budgets file (`config/budgets.json`). */
export const budgetsConfigSchema = z.strictObject({
  schemaVersion: z.literal(1),
  overBudget: overBudget.default('reject'),
  projects: z.record(z.string().min(1), projectBudget),
});

/** Parsed budgets configuration. */
export type BudgetsConfig = z.infer<typeof budgetsConfigSchema>;

/** One project's budget as it applies. */
export interface ProjectBudget {
  readonly projectId: string;
  readonly carbonBudgetKg: number;
  readonly overBudget: OverBudgetAction;
}

/** A budgets configuration that cannot be used. */
export class InvalidBudgetsConfigError extends SchedulerError {
  readonly problems: readonly string[];

  constructor(origin: string, problems: readonly string[]) {
    super('invalid-budgets-config',
      `${origin}: ${problems.join('; ')}; fix the budgets configuration ` +
        '(see README "Carbon budgets")');
    this.problems = problems;
  }
}

/**
 * Parses budgets JSON text.
 *
 * @param origin - where it came from, named in errors
 * @throws InvalidBudgetsConfigError - not JSON, or fields out of shape
 */
export function parseBudgetsConfig(
  text: string,
  origin: string,
): BudgetsConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidBudgetsConfigError(origin,
      [`not JSON (${(error as Error).message})`]);
  }
  const parsed = budgetsConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidBudgetsConfigError(origin, parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return parsed.data;
}

/** A project's budget, or null when the project has none (unlimited). */
export function budgetOf(
  config: BudgetsConfig | null,
  projectId: string,
): ProjectBudget | null {
  const entry = config?.projects[projectId];
  if (!config || !entry) return null;
  return {
    projectId,
    carbonBudgetKg: entry.carbonBudgetKg,
    overBudget: entry.overBudget ?? config.overBudget,
  };
}
