import type {protos} from '@google-cloud/workflows';
import {sanitizeLabelValue} from '../vertex/job-labels.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
  ListedExecution,
} from '../../shared/ports/lifecycle-starter.js';
import {encodeExecutionArgument} from './execution-argument.js';
import {LIVE_EXECUTION_FILTER, listedExecutionOf} from './listed-execution.js';

type Execution = protos.google.cloud.workflows.executions.v1.IExecution;

/** A ListExecutions request as the starter sends it. */
export interface ListExecutionsRequest {
  readonly parent: string;
  readonly filter: string;
  /** FULL: BASIC leaves out labels and the argument. */
  readonly view: 'FULL';
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/**
 * The two ExecutionsClient methods the starter calls, with the shapes
 * the generated client resolves to. Without `autoPaginate: false` the
 * client follows every page itself; with it, one page comes back and the
 * third element carries `nextPageToken`.
 */
export interface ExecutionsClientLike {
  createExecution(request: {
    parent: string;
    execution: Execution;
  }): Promise<readonly [Execution, ...unknown[]]>;
  listExecutions(
    request: ListExecutionsRequest,
    options?: {autoPaginate?: boolean},
  ): Promise<readonly [
    Execution[],
    unknown?,
    {nextPageToken?: string | null}?,
    ...unknown[],
  ]>;
}

// The most executions one FULL page holds.
const FULL_VIEW_PAGE_SIZE = 100;

/** Where the lifecycle workflow is deployed. */
export interface WorkflowsLifecycleStarterOptions {
  readonly project: string;
  readonly location: string;
  /** The workflow's id, e.g. `lifecycle`. */
  readonly workflow: string;
  /** Label prefix; `carbon` by default (label `carbon-job-id`). */
  readonly productLabel?: string;
  /** The client; an ExecutionsClient by default. */
  readonly client?: ExecutionsClientLike;
  readonly logger?: Logger;
}

/**
 * Starts one lifecycle execution per job on Cloud Workflows. Execution
 * ids are the service's choice, so each execution carries the job id as
 * a label, and a start first looks for an active execution with that
 * label (running or queued) and returns it instead of starting a second
 * one. Two starts at the same instant could both find none; ingest-job's
 * idempotency record per request keeps that from happening. `listLive`
 * gives the reconciler every queued or active execution with its job.
 */
export function createWorkflowsLifecycleStarter(
  options: WorkflowsLifecycleStarterOptions,
): LifecycleStarter {
  const productLabel = options.productLabel ?? 'carbon';
  const labelKey = `${productLabel}-job-id`;
  const parent = `projects/${options.project}/locations/` +
    `${options.location}/workflows/${options.workflow}`;
  let client: Promise<ExecutionsClientLike> | undefined;
  const clientOnce = () => {
    client ??= options.client
      ? Promise.resolve(options.client)
      : import('@google-cloud/workflows').then(({ExecutionsClient}) =>
        new ExecutionsClient() as unknown as ExecutionsClientLike);
    return client;
  };

  return {
    async start(argument: LifecycleArguments) {
      const executions = await clientOnce();
      const labelValue = sanitizeLabelValue(argument.jobId);
      const [active] = await executions.listExecutions({
        parent,
        filter: `labels.${labelKey}="${labelValue}"`,
        view: 'FULL',
      });
      const running = active.find((execution) =>
        execution.labels?.[labelKey] === labelValue &&
        isActive(execution.state) && execution.name);
      if (running?.name) {
        options.logger?.log('INFO', 'lifecycle execution already active',
          {jobId: argument.jobId, executionName: running.name});
        return {executionName: running.name};
      }

      const [created] = await executions.createExecution({
        parent,
        execution: {
          argument: encodeExecutionArgument(argument),
          labels: {[labelKey]: labelValue},
        },
      });
      options.logger?.log('NOTICE', 'lifecycle execution started',
        {jobId: argument.jobId, executionName: created.name});
      return {executionName: created.name ?? ''};
    },

    // Every page of live executions; the label is checked here, the
    // state both by the service and here.
    async listLive(): Promise<ListedExecution[]> {
      const executions = await clientOnce();
      const listed: ListedExecution[] = [];
      let pageToken: string | undefined;
      do {
        const [page, , response] = await executions.listExecutions({
          parent,
          filter: LIVE_EXECUTION_FILTER,
          view: 'FULL',
          pageSize: FULL_VIEW_PAGE_SIZE,
          ...(pageToken ? {pageToken} : {}),
        }, {autoPaginate: false});
        for (const execution of page) {
          const entry = listedExecutionOf(execution, labelKey,
            options.logger);
          if (entry) listed.push(entry);
        }
        pageToken = response?.nextPageToken || undefined;
      } while (pageToken);
      return listed;
    },
  };
}

function isActive(state: Execution['state']): boolean {
  return state === 'ACTIVE' || state === 1 ||
    state === 'QUEUED' || state === 6;
}
