import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';

import {AUDITED_TOPICS, FUNCTIONS} from '../../../functions/registry.js';
import {
  LEDGER_TABLES,
  toBigQueryLayout,
  toBigQuerySchema,
} from '../../../shared/ledger/schema.js';
import {TOPICS} from '../../../shared/messaging/topics.js';
import {
  nestedBlock,
  readTerraformModule,
  TERRAFORM_DIRECTORY,
  type TerraformModule,
} from '../../support/terraform-config.js';

interface FunctionAccess {
  readonly entry_point: string;
  readonly topics: readonly string[];
  readonly publishes: readonly string[];
  readonly state: string;
  readonly intake: boolean;
  readonly checkpoints: string;
  readonly dataset: string;
  readonly secrets: boolean;
  readonly project_roles: readonly string[];
  readonly acts_as_trainer: boolean;
}

// What each function may hold, decided by what its handler touches. A
// role outside its list is a grant nobody reviewed.
const ALLOWED_ROLES: Readonly<Record<string, readonly string[]>> = {
  'ingest-job': ['roles/storage.objectUser', 'roles/storage.objectViewer',
    'roles/bigquery.dataEditor', 'roles/bigquery.jobUser',
    'roles/workflows.invoker', 'roles/pubsub.publisher'],
  // Reconciliation: lists executions and CustomJobs, starts an adopting
  // execution, fails one, checkpoints (a marker in the checkpoint
  // bucket) and cancels an orphaned CustomJob.
  'fetch-forecasts': ['roles/storage.objectUser', 'roles/bigquery.dataEditor',
    'roles/bigquery.jobUser', 'roles/secretmanager.secretAccessor',
    'roles/aiplatform.user', 'roles/workflows.invoker',
    'roles/pubsub.publisher'],
  'optimize-slot': ['roles/storage.objectUser', 'roles/bigquery.dataEditor',
    'roles/bigquery.jobUser', 'roles/workflows.invoker',
    'roles/cloudquotas.viewer', 'roles/pubsub.publisher'],
  'launch-training': ['roles/storage.objectUser', 'roles/storage.objectViewer',
    'roles/aiplatform.user', 'roles/workflows.invoker',
    'roles/iam.serviceAccountUser', 'roles/pubsub.publisher'],
  'monitor-intensity': ['roles/storage.objectUser',
    'roles/storage.objectViewer', 'roles/bigquery.dataEditor',
    'roles/bigquery.jobUser', 'roles/secretmanager.secretAccessor',
    'roles/aiplatform.viewer', 'roles/workflows.invoker',
    'roles/pubsub.publisher'],
  'checkpoint-pause': ['roles/storage.objectUser', 'roles/aiplatform.user',
    'roles/workflows.invoker', 'roles/pubsub.publisher'],
  'resume': ['roles/storage.objectUser', 'roles/aiplatform.user',
    'roles/workflows.invoker', 'roles/iam.serviceAccountUser',
    'roles/pubsub.publisher'],
  'record-footprint': ['roles/storage.objectUser',
    'roles/bigquery.dataEditor', 'roles/bigquery.jobUser',
    'roles/workflows.invoker', 'roles/pubsub.publisher'],
};

const BASIC_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'];

/** The roles a function's access entry grants, through every resource. */
function grantedRoles(access: FunctionAccess): Set<string> {
  const roles = new Set<string>([access.state, 'roles/pubsub.publisher']);
  if (access.intake) roles.add('roles/storage.objectViewer');
  if (access.checkpoints !== '') roles.add(access.checkpoints);
  if (access.dataset !== '') {
    roles.add(access.dataset);
    roles.add('roles/bigquery.jobUser');
  }
  if (access.secrets) roles.add('roles/secretmanager.secretAccessor');
  if (access.acts_as_trainer) roles.add('roles/iam.serviceAccountUser');
  for (const role of access.project_roles) roles.add(role);
  return roles;
}

describe('the Terraform module structure', function () {
  let module: TerraformModule;
  let functions: Record<string, FunctionAccess>;

  before(async function () {
    module = await readTerraformModule();
    functions = module.locals.functions as Record<string, FunctionAccess>;
  });

  const resource = (type: string, name: string) => {
    const block = module.resources[type]?.[name];
    assert.ok(block, `terraform has no ${type}.${name}`);
    return block;
  };

  it('deploys every function in functions/ with its entry point', () => {
    assert.deepEqual(
      Object.keys(functions).sort(),
      FUNCTIONS.map((definition) => definition.name).sort(),
    );
    for (const definition of FUNCTIONS) {
      const access = functions[definition.name]!;
      assert.equal(access.entry_point, definition.entryPoint,
        `${definition.name} entry point`);
      assert.deepEqual([...access.topics].sort(),
        [...definition.topics].sort(), `${definition.name} topics`);
    }
    const cloudFunction = resource('google_cloudfunctions2_function',
      'functions');
    assert.equal(cloudFunction.for_each, '${local.functions}');
    const build = nestedBlock(cloudFunction, 'build_config')!;
    assert.equal(build.runtime, 'nodejs22');
    assert.equal(build.entry_point, '${each.value.entry_point}');
    const service = nestedBlock(cloudFunction, 'service_config')!;
    assert.equal(service.service_account_email,
      '${google_service_account.functions[each.key].email}');
    assert.notEqual(service.ingress_settings, 'ALLOW_ALL');
  });

  it('pushes every function topic with a dead-letter and retry policy',
    () => {
      const push = resource('google_pubsub_subscription', 'push');
      assert.equal(push.for_each, '${local.function_subscriptions}');
      const deadLetter = nestedBlock(push, 'dead_letter_policy');
      assert.ok(deadLetter, 'push subscriptions need a dead_letter_policy');
      assert.equal(deadLetter.dead_letter_topic,
        '${google_pubsub_topic.topics["dead-letters"].id}');
      assert.ok(nestedBlock(push, 'retry_policy'),
        'push subscriptions need a retry_policy');
      const pushConfig = nestedBlock(push, 'push_config')!;
      assert.match(String(pushConfig.push_endpoint),
        /\/projects\/\$\{var\.project_id\}\/topics\/\$\{/);
      assert.ok(nestedBlock(pushConfig, 'oidc_token'),
        'pushes must authenticate with an OIDC token');
      assert.equal(push.name,
        '${each.value.topic}--${each.value.function}');
    });

  it('keeps a week of every unread topic on a never-expiring subscription',
    () => {
      assert.deepEqual(module.locals.audited_topics, [...AUDITED_TOPICS]);
      const audit = resource('google_pubsub_subscription', 'audit');
      assert.equal(audit.message_retention_duration, '604800s');
      assert.equal(nestedBlock(audit, 'expiration_policy')?.ttl, '');
    });

  it('creates every topic the code and the workflow publish to', async () => {
    const declared = new Set(module.locals.topics as string[]);
    assert.deepEqual([...declared].sort(), [...TOPICS].sort());

    const workflow = await readFile(
      path.resolve('workflows/lifecycle.yaml'), 'utf8');
    const published = new Set<string>();
    for (const match of workflow.matchAll(/topicName: ([a-z-]+)/g)) {
      published.add(match[1]!);
    }
    for (const match of workflow.matchAll(/\/topics\/([a-z-]+)"/g)) {
      published.add(match[1]!);
    }
    for (const access of Object.values(functions)) {
      for (const topic of access.publishes) published.add(topic);
    }
    assert.ok(published.size > 5, 'found the published topics');
    for (const topic of published) {
      assert.ok(declared.has(topic), `topic ${topic} is not in terraform`);
    }
    for (const topic of module.locals.workflow_topics as string[]) {
      assert.ok(declared.has(topic), `workflow topic ${topic}`);
    }
  });

  it('grants each function only roles on its allow-list', () => {
    for (const [name, access] of Object.entries(functions)) {
      const allowed = new Set(ALLOWED_ROLES[name]);
      for (const role of grantedRoles(access)) {
        assert.ok(allowed.has(role), `${name} must not hold ${role}`);
      }
    }
  });

  it('binds bucket, dataset, topic and secret roles on the resources', () => {
    const byResource = [
      ['google_storage_bucket_iam_member', 'state_users'],
      ['google_storage_bucket_iam_member', 'checkpoint_access'],
      ['google_bigquery_dataset_iam_member', 'function_writers'],
      ['google_pubsub_topic_iam_member', 'function_publishers'],
      ['google_secret_manager_secret_iam_member', 'readers'],
    ] as const;
    for (const [type, name] of byResource) resource(type, name);

    const projectRoles = module.resources.google_project_iam_member ?? {};
    for (const [name, block] of Object.entries(projectRoles)) {
      const role = String(block.role);
      if (role.startsWith('${')) continue;
      assert.ok(!BASIC_ROLES.includes(role), `${name} grants ${role}`);
      assert.doesNotMatch(role, /admin$/i, `${name} grants ${role}`);
    }
    for (const access of Object.values(functions)) {
      for (const role of access.project_roles) {
        assert.ok(!BASIC_ROLES.includes(role), role);
        assert.doesNotMatch(role, /admin$/i, role);
      }
    }
  });

  it('grants nothing to allUsers or allAuthenticatedUsers', () => {
    const grants = module.text
      .split('\n')
      .filter((line) => /^\s*member\s*=/.test(line));
    assert.ok(grants.length > 10, 'found the IAM members');
    for (const line of grants) {
      assert.doesNotMatch(line, /allUsers|allAuthenticatedUsers/);
    }
    const publishers = module.variables.job_publishers!;
    assert.match(JSON.stringify(publishers.validation),
      /allAuthenticatedUsers/, 'job_publishers refuses public principals');
  });

  it('builds the BigQuery tables from the schema the code defines',
    async () => {
      const tables = Object.values(LEDGER_TABLES);
      assert.deepEqual(
        [...(module.locals.ledger_tables as string[])].sort(),
        tables.map((table) => table.name).sort(),
      );
      for (const table of tables) {
        const schemaFile = path.join(TERRAFORM_DIRECTORY, 'schemas',
          `${table.name}.json`);
        const layoutFile = path.join(TERRAFORM_DIRECTORY, 'schemas',
          `${table.name}.layout.json`);
        assert.deepEqual(JSON.parse(await readFile(schemaFile, 'utf8')),
          toBigQuerySchema(table),
          `${schemaFile} is stale: run npm run export:bigquery-schema`);
        assert.deepEqual(JSON.parse(await readFile(layoutFile, 'utf8')),
          toBigQueryLayout(table),
          `${layoutFile} is stale: run npm run export:bigquery-schema`);
      }
    });

  it('describes and types every variable', () => {
    const names = Object.keys(module.variables);
    assert.ok(names.includes('project_id'));
    for (const [name, variable] of Object.entries(module.variables)) {
      assert.ok(variable.description, `variable ${name} has no description`);
      assert.ok(variable.type, `variable ${name} has no type`);
    }
    for (const bounded of ['region', 'training_regions', 'residency',
      'carbon_budgets_kg', 'poll_interval_minutes']) {
      assert.ok(module.variables[bounded]?.validation,
        `variable ${bounded} is validated`);
    }
  });

  it('deploys the lifecycle from workflows/lifecycle.yaml', () => {
    const workflow = resource('google_workflows_workflow', 'lifecycle');
    assert.match(String(workflow.source_contents),
      /workflows\/lifecycle\.yaml/);
    assert.equal(workflow.service_account,
      '${google_service_account.workflow.id}');
  });
});
