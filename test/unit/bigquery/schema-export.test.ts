import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {
  exportBigQuerySchemas,
  renderBigQuerySchemaFiles,
  SCHEMA_DIRECTORY,
} from '../../../scripts/export-bigquery-schema.js';
import {LEDGER_TABLES} from '../../../shared/ledger/schema.js';

describe('BigQuery schema export for Terraform', () => {
  let directory: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bigquery-schemas-'));
  });

  after(async () => {
    await rm(directory, {recursive: true, force: true});
  });

  it('regenerates exactly the files in terraform/schemas', async () => {
    const written = await exportBigQuerySchemas(directory);
    assert.equal(written.length, renderBigQuerySchemaFiles().size);
    for (const relative of written) {
      const fresh = await readFile(join(directory, relative), 'utf8');
      const committed = await readFile(join(SCHEMA_DIRECTORY, relative),
        'utf8').catch(() => '(missing)');
      assert.equal(committed, fresh, `terraform/schemas/${relative} is ` +
        'stale: run node --import tsx scripts/export-bigquery-schema.ts');
    }
    assert.deepEqual(await exportBigQuerySchemas(SCHEMA_DIRECTORY,
      {check: true}), []);
  });

  it('writes one column list and one layout per ledger table', async () => {
    const names = (await readdir(SCHEMA_DIRECTORY)).sort();
    for (const table of Object.keys(LEDGER_TABLES)) {
      assert.ok(names.includes(`${table}.json`), table);
      assert.ok(names.includes(`${table}.layout.json`), table);
    }
  });

  it('partitions every table by day on a TIMESTAMP column and clusters ' +
    'by project, then region (job where a table has no region)',
  async () => {
    for (const table of Object.values(LEDGER_TABLES)) {
      const layout = JSON.parse(await readFile(
        join(SCHEMA_DIRECTORY, `${table.name}.layout.json`), 'utf8'));
      const fields: {name: string; type: string; mode: string}[] =
        JSON.parse(await readFile(
          join(SCHEMA_DIRECTORY, `${table.name}.json`), 'utf8'));
      const byName = new Map(fields.map((field) => [field.name, field]));
      assert.equal(layout.timePartitioning.type, 'DAY');
      const partition = byName.get(layout.timePartitioning.field);
      assert.equal(partition?.type, 'TIMESTAMP', table.name);
      assert.equal(partition?.mode, 'REQUIRED', table.name);
      assert.equal(layout.clustering[0], 'project_id', table.name);
      const hasRegion = fields.some((field) => /region/.test(field.name));
      assert.match(layout.clustering[1], hasRegion ? /region/ : /^job_id$/,
        table.name);
      for (const column of layout.clustering) {
        assert.ok(byName.has(column), `${table.name}.${column}`);
      }
    }
  });

  it('writes the report views with ${dataset} for the dataset', async () => {
    const view = await readFile(
      join(SCHEMA_DIRECTORY, 'views', 'job_totals.sql'), 'utf8');
    assert.ok(view.includes('FROM `${dataset}.footprints`'));
    assert.ok(!view.includes('schema-export-project'));
  });
});
