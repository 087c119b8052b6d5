import type {protos} from '@google-cloud/workflows';
import type {Logger} from '../../shared/ports/logger.js';
import type {ListedExecution} from '../../shared/ports/lifecycle-starter.js';
import {sanitizeLabelValue} from '../vertex/job-labels.js';

type Execution = protos.google.cloud.workflows.executions.v1.IExecution;

/**
 * The Executions API list filter of executions that may still run. The
 * documented filter names `label` but shows no key-presence form, so the
 * job label is checked on each listed execution instead.
 */
export const LIVE_EXECUTION_FILTER = 'state="ACTIVE" OR state="QUEUED"';

/**
 * A listed execution as the reconciler reads it, or null when it is not
 * a live lifecycle execution (another state, no name, no job label).
 *
 * The label holds the job id sanitised, which cannot always be mapped
 * back (a changed id keeps only a hash of the original), so the job id is
 * read from the execution's argument (present in the FULL view), which
 * the starter writes with the id as given. When the argument is missing
 * or names another job, the label value is used and a warning logged.
 */
export function listedExecutionOf(
  execution: Execution,
  labelKey: string,
  logger?: Logger,
): ListedExecution | null {
  // Step 1: only named, live executions carrying the job label.
  const state = liveStateOf(execution.state);
  const labelValue = execution.labels?.[labelKey];
  if (state === null || !execution.name || !labelValue) return null;

  // Step 2: the job id the argument names, when the label agrees.
  const argumentJobId = jobIdOfArgument(execution.argument);
  if (argumentJobId !== null &&
      sanitizeLabelValue(argumentJobId) === labelValue) {
    return {jobId: argumentJobId, executionName: execution.name, state};
  }
  logger?.log('WARNING',
    'lifecycle execution argument names no job matching its label; ' +
      'job id taken from the label',
    {executionName: execution.name, labelValue, argumentJobId});
  return {jobId: labelValue, executionName: execution.name, state};
}

// QUEUED and ACTIVE by name or by enum number; null for any other.
function liveStateOf(
  state: Execution['state'],
): ListedExecution['state'] | null {
  if (state === 'ACTIVE' || state === 1) return 'ACTIVE';
  if (state === 'QUEUED' || state === 6) return 'QUEUED';
  return null;
}

// The `jobId` of the JSON argument; null when absent or unreadable.
function jobIdOfArgument(argument: string | null | undefined): string | null {
  if (!argument) return null;
  try {
    const parsed = JSON.parse(argument) as {jobId?: unknown} | null;
    return typeof parsed?.jobId === 'string' && parsed.jobId !== ''
      ? parsed.jobId
      : null;
  } catch {
    return null;
  }
}
