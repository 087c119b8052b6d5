import type {protos} from '@google-cloud/workflows';
import {sanitizeLabelValue} from '../vertex/job-labels.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
} from '../../shared/ports/lifecycle-starter.js';
import {encodeExecutionArgument} from './execution-argument.js';

type Execution = protos.google.cloud.workflows.executions.v1.IExecution;

/** The two ExecutionsClient methods the starter calls. */
export interface ExecutionsClientLike {
  createExecution(request: {
    parent: string;
    execution: Execution;
  }): Promise<readonly [Execution, ...unknown[]]>;
  listExecutions(request: {
    parent: string;
    filter: string;
  }): Promise<readonly [Execution[], ...unknown[]]>;
}

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
 * idempotency record per request keeps that from happening.
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
  };
}

function isActive(state: Execution['state']): boolean {
  return state === 'ACTIVE' || state === 1 ||
    state === 'QUEUED' || state === 6;
}
