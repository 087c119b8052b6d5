import assert from 'node:assert/strict';

import {
  LEDGER_TABLES,
  LEDGER_TABLE_NAMES,
  toBigQuerySchema,
  toDuckDbColumns,
} from '../../../shared/ledger/schema.js';

describe('ledger schema', () => {
  it('defines the six tables', () => {
    assert.deepEqual([...LEDGER_TABLE_NAMES].sort(),
      ['commands', 'footprints', 'intensity_samples', 'jobs', 'plans',
        'segments']);
  });

  it('gives every table an insert id, a write time and a real dedupe key',
    () => {
      for (const table of Object.values(LEDGER_TABLES)) {
        const names = table.columns.map((column) => column.name);
        assert.ok(names.includes('insert_id'), table.name);
        assert.ok(names.includes('recorded_at'), table.name);
        for (const key of table.dedupeKey) {
          assert.ok(names.includes(key), `${table.name}.${key}`);
        }
        assert.equal(new Set(names).size, names.length, table.name);
      }
    });

  it('renders a BigQuery JSON schema with types, modes and descriptions',
    () => {
      const fields = toBigQuerySchema(LEDGER_TABLES.footprints);
      const scope2 = fields.find((field) =>
        field.name === 'carbon_footprint_scope2_location_based_kgco2e');
      assert.equal(scope2?.type, 'FLOAT64');
      assert.equal(scope2?.mode, 'NULLABLE');
      assert.ok((scope2?.description ?? '').length > 0);
      const month = fields.find((field) => field.name === 'usage_month');
      assert.deepEqual([month?.type, month?.mode], ['DATE', 'REQUIRED']);
      assert.ok(fields.some((field) => field.name === 'project_id'));
      assert.ok(fields.some((field) => field.name === 'location_region'));
      assert.ok(fields.every((field) => field.description.length > 0));
    });

  it('maps every column to a DuckDB type', () => {
    const columns = toDuckDbColumns(LEDGER_TABLES.footprints);
    assert.equal(columns['segment_index'], 'BIGINT');
    assert.equal(columns['start_time'], 'TIMESTAMPTZ');
    assert.equal(columns['inputs'], 'JSON');
    assert.equal(columns['incomplete'], 'BOOLEAN');
    assert.equal(Object.keys(columns).length,
      LEDGER_TABLES.footprints.columns.length);
  });
});
