/**
 * Where the operator's budgets come from: the environment variable
 * CARBON_BUDGETS_JSON (the JSON text) when set, else the blob
 * `config/budgets.json` (a bucket object in the cloud; locally
 * `<run-dir>/blobs/config/budgets.json`). Neither: no budgets apply.
 */
import type {BlobStore} from '../ports/blob-store.js';
import {parseBudgetsConfig, type BudgetsConfig} from './budget-config.js';

/** The blob key of the budgets file. */
export const BUDGETS_CONFIG_KEY = 'config/budgets.json';

/** The environment variable that carries budgets as JSON text. */
export const BUDGETS_ENVIRONMENT_VARIABLE = 'CARBON_BUDGETS_JSON';

/**
 * Loads the budgets configuration, or null when none is configured.
 *
 * @throws InvalidBudgetsConfigError - configured but unusable
 */
export async function loadBudgetsConfig(
  blobs: BlobStore,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Promise<BudgetsConfig | null> {
  const fromEnvironment = environment[BUDGETS_ENVIRONMENT_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return parseBudgetsConfig(fromEnvironment, BUDGETS_ENVIRONMENT_VARIABLE);
  }
  const bytes = await blobs.read(BUDGETS_CONFIG_KEY);
  if (bytes === undefined) return null;
  return parseBudgetsConfig(bytes.toString('utf8'), BUDGETS_CONFIG_KEY);
}
