import {SchedulerError} from '../../shared/errors.js';
import type {SchedulerSettings} from '../../functions/dependencies.js';

/** Where the deployed functions find their resources. */
export interface CloudSettings {
  /** `GOOGLE_CLOUD_PROJECT`: the project of topics, buckets, workflow. */
  readonly projectId: string;
  /** `STATE_BUCKET`: snapshots, plans, forecasts, idempotency records. */
  readonly stateBucket: string;
  /** `INTAKE_BUCKET`: where users upload job files (ingest-job only). */
  readonly intakeBucket: string | undefined;
  /** `WORKFLOW_LOCATION`: region of the lifecycle workflow. */
  readonly workflowLocation: string;
  /** `LIFECYCLE_WORKFLOW`: name of the deployed lifecycle workflow. */
  readonly lifecycleWorkflow: string;
  /** `LEDGER_DATASET`: BigQuery dataset of the ledger. */
  readonly ledgerDataset: string;
  /**
   * `POLL_SECONDS`, `CHECKPOINT_OVERHEAD_SECONDS`, `GPU_UTILISATION`,
   * `TRAINING_REGIONS`, `RESIDENCY` and the SPOT preemption counts.
   */
  readonly scheduler: SchedulerSettings;
}

/**
 * The environment variables the deployed functions read, with what each
 * means; Terraform sets them on every function.
 */
export const CLOUD_ENVIRONMENT_VARIABLES: Readonly<Record<string, string>> = {
  GOOGLE_CLOUD_PROJECT: 'project id (required)',
  STATE_BUCKET: 'bucket for job state and idempotency records (required)',
  INTAKE_BUCKET: 'bucket users upload job files to (ingest-job)',
  WORKFLOW_LOCATION: 'region of the lifecycle workflow (default us-central1)',
  LIFECYCLE_WORKFLOW: 'workflow name (default lifecycle)',
  LEDGER_DATASET: 'BigQuery dataset of the ledger (default carbon_ledger)',
  POLL_SECONDS: 'seconds between monitor polls (default 1800)',
  CHECKPOINT_OVERHEAD_SECONDS: 'time to write a checkpoint (default 120)',
  GPU_UTILISATION: 'share of GPU power drawn, 0 to 1 (default 0.9)',
  TRAINING_REGIONS: 'regions jobs may train in, comma-separated (default all)',
  RESIDENCY: 'residency groups the deployment allows (default any)',
  EXPECTED_SPOT_PREEMPTIONS: 'preemptions a SPOT plan reserves slack for ' +
    '(default 1)',
  MAX_SPOT_PREEMPTIONS: 'preemptions a SPOT job survives before it fails ' +
    '(default 5)',
};

/**
 * Reads the settings from `environment`, naming the variable and what to
 * set when one is missing or malformed (a retryable error: once the
 * deployment is fixed, the redelivered message succeeds).
 */
export function readCloudSettings(
  environment: NodeJS.ProcessEnv = process.env,
): CloudSettings {
  const required = (name: string): string => {
    const value = environment[name]?.trim();
    if (!value) {
      throw new SchedulerError(
        'missing-setting',
        `environment variable ${name} is not set; set it to the ` +
          `${CLOUD_ENVIRONMENT_VARIABLES[name]} on the function`,
        {retryable: true},
      );
    }
    return value;
  };
  const optional = (name: string, fallback: string): string =>
    environment[name]?.trim() || fallback;
  const number = (name: string, fallback: number, max: number): number => {
    const text = environment[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || value > max) {
      throw new SchedulerError(
        'invalid-setting',
        `environment variable ${name} is "${text}"; it must be a number ` +
          `above 0 and at most ${max}`,
        {retryable: true},
      );
    }
    return value;
  };
  // A whole number, 0 allowed; absent: the product's default.
  const count = <K extends string>(name: string, key: K, max: number) => {
    const text = environment[name]?.trim();
    if (!text) return {};
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new SchedulerError(
        'invalid-setting',
        `environment variable ${name} is "${text}"; it must be a whole ` +
          `number from 0 to ${max}`,
        {retryable: true},
      );
    }
    return {[key]: value} as {[P in K]: number};
  };
  // A comma-separated list; absent or empty: no limit.
  const list = <K extends string>(name: string, key: K) => {
    const items = (environment[name] ?? '').split(',')
      .map((item) => item.trim()).filter((item) => item !== '');
    return items.length === 0 ? {} :
      {[key]: items} as unknown as {[P in K]: readonly string[]};
  };
  return {
    projectId: required('GOOGLE_CLOUD_PROJECT'),
    stateBucket: required('STATE_BUCKET'),
    intakeBucket: environment.INTAKE_BUCKET?.trim() || undefined,
    workflowLocation: optional('WORKFLOW_LOCATION', 'us-central1'),
    lifecycleWorkflow: optional('LIFECYCLE_WORKFLOW', 'lifecycle'),
    ledgerDataset: optional('LEDGER_DATASET', 'carbon_ledger'),
    scheduler: {
      pollSeconds: number('POLL_SECONDS', 1800, 86_400),
      checkpointOverheadMs:
        number('CHECKPOINT_OVERHEAD_SECONDS', 120, 86_400) * 1000,
      gpuUtilisationFraction: number('GPU_UTILISATION', 0.9, 1),
      ...list('TRAINING_REGIONS', 'trainingRegionIds'),
      ...list('RESIDENCY', 'deploymentResidency'),
      ...count('EXPECTED_SPOT_PREEMPTIONS', 'expectedSpotPreemptions', 100),
      ...count('MAX_SPOT_PREEMPTIONS', 'maxSpotPreemptions', 100),
    },
  };
}
