/**
 * The ledger's tables, defined once: BigQuery in the cloud, append-only
 * JSON-lines files read by DuckDB locally. Footprint rows follow Google's
 * Carbon Footprint export naming (project id, location region, usage month,
 * kgCO2e fields with the unit in the name), flattened, so both join in one
 * query. Every row has a deterministic `insert_id`; readers de-duplicate
 * on each table's `dedupeKey`, keeping the latest `recorded_at`.
 */

/** Column types, by their GoogleSQL names. */
export type LedgerColumnType =
  | 'STRING'
  | 'INT64'
  | 'FLOAT64'
  | 'BOOL'
  | 'TIMESTAMP'
  | 'DATE'
  | 'JSON';

/** Whether a column may hold null. */
export type LedgerColumnMode = 'REQUIRED' | 'NULLABLE';

/** One column. */
export interface LedgerColumn {
  readonly name: string;
  readonly type: LedgerColumnType;
  readonly mode: LedgerColumnMode;
  readonly description: string;
}

/** One table. */
export interface LedgerTable {
  readonly name: string;
  readonly description: string;
  /** Columns naming one logical row; a repeat of it is a retry. */
  readonly dedupeKey: readonly string[];
  /** TIMESTAMP column the BigQuery table is partitioned on, by day. */
  readonly partitionField: string;
  /** Columns the BigQuery table is clustered on: project, then region
   * (or job, for a table without one). */
  readonly clusterFields: readonly string[];
  readonly columns: readonly LedgerColumn[];
}

// Column builders keep the literal name and type for LedgerRow.
const req = <N extends string, T extends LedgerColumnType>(
  name: N,
  type: T,
  description: string,
) => ({name, type, mode: 'REQUIRED' as const, description});
const opt = <N extends string, T extends LedgerColumnType>(
  name: N,
  type: T,
  description: string,
) => ({name, type, mode: 'NULLABLE' as const, description});

const INSERT_ID = (form: string) =>
  req('insert_id', 'STRING', `Deterministic row id, ${form}; a retried ` +
    'write repeats it');
const RECORDED_AT = req('recorded_at', 'TIMESTAMP',
  'When the row was written; the latest wins on de-duplication');

/** Jobs as submitted. */
export const JOBS_TABLE = {
  name: 'jobs',
  description: 'One row per accepted job request.',
  dedupeKey: ['job_id'],
  partitionField: 'submitted_at',
  clusterFields: ['project_id', 'home_region'],
  columns: [
    INSERT_ID('jobId'),
    req('job_id', 'STRING', 'Job id (client idempotency key or assigned)'),
    req('project_id', 'STRING', 'Google Cloud project id of the job'),
    opt('team', 'STRING', 'Team label, for budgets'),
    opt('owner', 'STRING', 'Who submitted the job'),
    req('home_region', 'STRING', 'Region of the counterfactual run'),
    req('submitted_at', 'TIMESTAMP', 'When the request was accepted'),
    opt('earliest_start', 'TIMESTAMP', 'Constraint: earliest start'),
    opt('deadline', 'TIMESTAMP', 'Constraint: latest finish'),
    req('duration_hours', 'FLOAT64', 'Estimated run time at full speed'),
    req('interruptible', 'BOOL', 'Whether the job may be paused'),
    req('machine_type', 'STRING', 'e.g. a3-highgpu-8g'),
    opt('accelerator_type', 'STRING', 'Vertex AI enum, e.g. NVIDIA_H100_80GB'),
    req('accelerator_count', 'INT64', 'Accelerators per machine'),
    req('request', 'JSON', 'The validated request document'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/** Plans the optimizer made. */
export const PLANS_TABLE = {
  name: 'plans',
  description: 'One row per plan (first plan and each re-plan).',
  dedupeKey: ['job_id', 'plan_index'],
  partitionField: 'recorded_at',
  clusterFields: ['project_id', 'region'],
  columns: [
    INSERT_ID('`${jobId}:plan:${planIndex}`'),
    req('job_id', 'STRING', 'Job id'),
    req('project_id', 'STRING', 'Google Cloud project id of the job'),
    req('plan_index', 'INT64', 'Sequence of the plan request; grows ' +
      'with each re-plan'),
    req('region', 'STRING', 'Region of the first planned segment'),
    req('planned_start', 'TIMESTAMP', 'Start of the first planned segment'),
    req('planned_end', 'TIMESTAMP', 'End of the last planned segment'),
    req('signal_source', 'STRING', 'Provider whose forecast was used'),
    req('signal_basis', 'STRING', 'average-lifecycle, average-direct or ' +
      'marginal'),
    opt('expected_kgco2e', 'FLOAT64', 'Forecast emissions of the plan, kg'),
    opt('reserved_budget_kgco2e', 'FLOAT64', 'Carbon budget reserved, kg'),
    req('segments', 'JSON', 'Planned segments: region, start, end'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/** Segments as they ran. */
export const SEGMENTS_TABLE = {
  name: 'segments',
  description: 'One row per run segment (launch to stop or completion).',
  dedupeKey: ['job_id', 'segment_index'],
  partitionField: 'start_time',
  clusterFields: ['project_id', 'region'],
  columns: [
    INSERT_ID('`${jobId}:${segmentIndex}`'),
    req('job_id', 'STRING', 'Job id'),
    req('project_id', 'STRING', 'Google Cloud project id of the job'),
    req('segment_index', 'INT64', '0-based order of the segment'),
    req('region', 'STRING', 'Region it ran in'),
    req('start_time', 'TIMESTAMP', 'When training really started'),
    req('end_time', 'TIMESTAMP', 'When training really stopped'),
    req('outcome', 'STRING', 'completed, paused or failed'),
    opt('training_job_name', 'STRING', 'Vertex AI CustomJob (or local) name'),
    opt('checkpoint_uri', 'STRING', 'Last checkpoint confirmed'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/** Footprints of segments and of the counterfactual run. */
export const FOOTPRINTS_TABLE = {
  name: 'footprints',
  description: 'One row per actual segment, plus one counterfactual row ' +
    'per job (footprint_kind = counterfactual, segment_index = 0), plus ' +
    'progress rows (footprint_kind = progress) written while a segment ' +
    'runs: its footprint to date and a projection to completion.',
  dedupeKey: ['job_id', 'footprint_kind', 'segment_index'],
  partitionField: 'start_time',
  clusterFields: ['project_id', 'location_region'],
  columns: [
    INSERT_ID('`${jobId}:${segmentIndex}` (counterfactual: ' +
      '`${jobId}:counterfactual`; progress: ' +
      '`${jobId}:${segmentIndex}:progress:${pollSequence}`)'),
    req('job_id', 'STRING', 'Job id'),
    req('segment_index', 'INT64', 'Segment order; 0 for the counterfactual'),
    req('footprint_kind', 'STRING', 'actual, counterfactual or progress ' +
      '(to date, while the segment runs)'),
    req('project_id', 'STRING', 'As project.id in the Carbon Footprint ' +
      'export'),
    opt('team', 'STRING', 'Team label'),
    req('service_description', 'STRING', 'As service.description, e.g. ' +
      'Vertex AI'),
    req('location_region', 'STRING', 'As location.region'),
    req('usage_month', 'DATE', 'First day of the month the segment started ' +
      'in (UTC), as usage_month'),
    req('start_time', 'TIMESTAMP', 'Segment start'),
    req('end_time', 'TIMESTAMP', 'Segment end'),
    req('it_energy_kwh', 'FLOAT64', 'IT energy, compute plus transfer, kWh'),
    req('pue', 'FLOAT64', 'Power usage effectiveness applied'),
    req('facility_energy_kwh', 'FLOAT64', 'it_energy_kwh x pue, kWh'),
    opt('intensity_gco2e_per_kwh', 'FLOAT64', 'Energy-weighted observed ' +
      'intensity; null when incomplete'),
    req('intensity_source', 'STRING', 'Provider or fallback of the intensity'),
    opt('carbon_footprint_scope2_location_based_kgco2e', 'FLOAT64',
      'As carbon_footprint_kgCO2e.scope2.location_based; null when ' +
      'incomplete'),
    opt('carbon_footprint_scope3_kgco2e', 'FLOAT64', 'As ' +
      'carbon_footprint_kgCO2e.scope3 (embodied share)'),
    opt('carbon_footprint_total_location_based_kgco2e', 'FLOAT64', 'As ' +
      'carbon_footprint_total_kgCO2e.location_based'),
    opt('cfe_adjusted_kgco2e', 'FLOAT64', 'Scope 2 x (1 - CFE); a separate ' +
      'figure, never location-based'),
    req('incomplete', 'BOOL', 'True when intensity was missing for part of ' +
      'the segment'),
    opt('estimated', 'STRING', 'Why a figure is estimated, e.g. ' +
      'unmapped-region'),
    req('inputs', 'JSON', 'Everything the figures were computed from'),
    opt('projected_completion_time', 'TIMESTAMP', 'Progress rows: when ' +
      'the job is expected to finish if it runs on here without pause'),
    opt('projected_it_energy_kwh', 'FLOAT64', 'Progress rows: IT energy ' +
      'of this segment to date plus the remaining work, kWh'),
    opt('projected_scope2_location_based_kgco2e', 'FLOAT64', 'Progress ' +
      'rows: scope 2 to date plus the remaining work at the forecast ' +
      'intensity; null when either is unknown'),
    opt('projected_total_location_based_kgco2e', 'FLOAT64', 'Progress ' +
      'rows: projected scope 2 plus projected scope 3'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/** Intensity values the system observed or used. */
export const INTENSITY_SAMPLES_TABLE = {
  name: 'intensity_samples',
  description: 'Observed (and forecast) intensity points, per zone.',
  dedupeKey: ['source', 'zone', 'kind', 'start_time'],
  partitionField: 'start_time',
  clusterFields: ['project_id', 'region'],
  columns: [
    INSERT_ID('`${source}:${zone}:${kind}:${startMs}`'),
    opt('job_id', 'STRING', 'Job the sample was fetched for, if any'),
    opt('project_id', 'STRING', 'Project of that job, if any'),
    opt('region', 'STRING', 'Cloud region the zone serves'),
    req('zone', 'STRING', 'Grid zone, e.g. NL'),
    req('source', 'STRING', 'Provider'),
    req('basis', 'STRING', 'average-lifecycle, average-direct or marginal'),
    req('kind', 'STRING', 'observed or forecast'),
    req('start_time', 'TIMESTAMP', 'Interval start (inclusive)'),
    req('duration_seconds', 'INT64', 'Interval length'),
    opt('gco2e_per_kwh', 'FLOAT64', 'Value; null when the source has none'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/**
 * Operator commands (`job-commands`), append-only: one row when
 * ingest-job records a command (state accepted or rejected), and one
 * more when the lifecycle takes an accepted command at a decision point
 * (state applied, with what it did). A redelivery repeats its row's
 * insert id, so each (job, command, state) counts once.
 */
export const COMMANDS_TABLE = {
  name: 'commands',
  description: 'One row per operator command as recorded (accepted or ' +
    'rejected) and one more once the lifecycle applied it (state = ' +
    'applied).',
  dedupeKey: ['job_id', 'command_id', 'state'],
  partitionField: 'received_at',
  clusterFields: ['project_id', 'job_id'],
  columns: [
    INSERT_ID('`${jobId}:command:${commandId}:${state}`'),
    req('command_id', 'STRING', 'Chosen by the client; the idempotency ' +
      'key of the command within its job'),
    req('job_id', 'STRING', 'The job the command is for'),
    opt('project_id', 'STRING', 'Google Cloud project id of the job; null ' +
      'when no such job is known'),
    req('command', 'STRING', 'cancel, run-now, extend, pause or resume'),
    req('arguments', 'JSON', 'What the command carries besides its kind, ' +
      'e.g. {"deadline": ...} for extend; {} when nothing'),
    opt('requested_by', 'STRING', 'Who asked, as the publisher declares ' +
      'it; null when the message named nobody'),
    opt('requested_by_source', 'STRING', 'Where that identity was read: ' +
      'message-attribute or message-body'),
    opt('requested_by_origin', 'STRING', 'How the publisher found it ' +
      '(requestedByOrigin), e.g. gcloud-account'),
    req('requested_by_verified', 'BOOL', 'Always false: Pub/Sub does not ' +
      'authenticate publishers to subscribers; the topic IAM policy ' +
      'decides who may publish'),
    req('message_id', 'STRING', 'Pub/Sub message id of the delivery that ' +
      'recorded the command'),
    opt('sent_at', 'TIMESTAMP', 'When the client says it sent the command'),
    req('received_at', 'TIMESTAMP', 'When ingest-job recorded the command'),
    req('state', 'STRING', 'accepted or rejected (as recorded), or ' +
      'applied (taken by the lifecycle)'),
    opt('rejection_reasons', 'JSON', 'Rejected rows: every reason, as ' +
      '[{field, problem}]'),
    opt('applied_at', 'TIMESTAMP', 'Applied rows: when the lifecycle took ' +
      'the command'),
    opt('decision_point', 'STRING', 'Applied rows: running, waiting or ' +
      'paused'),
    opt('application_outcome', 'STRING', 'Applied rows: applied (it ' +
      'changed the lifecycle), no-effect or superseded'),
    opt('application_reason', 'STRING', 'Applied rows: what it did, or ' +
      'why nothing'),
    RECORDED_AT,
  ],
} as const satisfies LedgerTable;

/** Every ledger table, by name. */
export const LEDGER_TABLES = {
  jobs: JOBS_TABLE,
  plans: PLANS_TABLE,
  segments: SEGMENTS_TABLE,
  footprints: FOOTPRINTS_TABLE,
  intensity_samples: INTENSITY_SAMPLES_TABLE,
  commands: COMMANDS_TABLE,
} as const;

/** A ledger table name. */
export type LedgerTableName = keyof typeof LEDGER_TABLES;

/** The ledger table names. */
export const LEDGER_TABLE_NAMES = Object.keys(
  LEDGER_TABLES,
) as LedgerTableName[];

interface ValueOfType {
  STRING: string;
  INT64: number;
  FLOAT64: number;
  BOOL: boolean;
  /** RFC 3339 instant, e.g. 2025-03-01T10:00:00.000Z. */
  TIMESTAMP: string;
  /** YYYY-MM-DD. */
  DATE: string;
  JSON: unknown;
}

type ValueOf<C extends LedgerColumn> = C['mode'] extends 'NULLABLE'
  ? ValueOfType[C['type']] | null
  : ValueOfType[C['type']];

type ColumnsOf<T extends LedgerTableName> =
  (typeof LEDGER_TABLES)[T]['columns'][number];

/**
 * A row of a table, as written (JSON values). A NULLABLE column may be
 * left out, which reads as NULL, so adding one keeps old writers valid.
 */
export type LedgerRow<T extends LedgerTableName> = {
  [C in ColumnsOf<T> as C['mode'] extends 'REQUIRED' ? C['name'] : never]:
    ValueOf<C>;
} & {
  [C in ColumnsOf<T> as C['mode'] extends 'NULLABLE' ? C['name'] : never]?:
    ValueOf<C>;
};

/** A BigQuery JSON schema field (for `bq mk` or Terraform `schema`). */
export interface BigQuerySchemaField {
  readonly name: string;
  readonly type: LedgerColumnType;
  readonly mode: LedgerColumnMode;
  readonly description: string;
}

/** How a BigQuery table is laid out besides its columns. */
export interface BigQueryTableLayout {
  readonly description: string;
  readonly timePartitioning: {readonly type: 'DAY'; readonly field: string};
  readonly clustering: readonly string[];
}

/** A table's day partitioning and clustering, for Terraform. */
export function toBigQueryLayout(table: LedgerTable): BigQueryTableLayout {
  return {
    description: table.description,
    timePartitioning: {type: 'DAY', field: table.partitionField},
    clustering: [...table.clusterFields],
  };
}

/** A table's BigQuery JSON schema. */
export function toBigQuerySchema(table: LedgerTable): BigQuerySchemaField[] {
  return table.columns.map(({name, type, mode, description}) => ({
    name,
    type,
    mode,
    description,
  }));
}

const DUCKDB_TYPES: Readonly<Record<LedgerColumnType, string>> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  // BigQuery TIMESTAMP is an absolute instant, as is TIMESTAMPTZ.
  TIMESTAMP: 'TIMESTAMPTZ',
  DATE: 'DATE',
  JSON: 'JSON',
};

/** A table's DuckDB column types, by column name, in schema order. */
export function toDuckDbColumns(table: LedgerTable): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const column of table.columns) {
    columns[column.name] = DUCKDB_TYPES[column.type];
  }
  return columns;
}
