import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {Ajv2020} from 'ajv/dist/2020.js';
import {parse as parseYaml} from 'yaml';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {buildSchemaDocuments} from
  '../../../shared/schemas/json-schema-documents.js';

const regionIds = loadRegionCatalog().regions.map((region) => region.id);
const documents = buildSchemaDocuments(regionIds);

function committedFiles(directory: string): string[] {
  return readdirSync(directory, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory()
      ? committedFiles(path.join(directory, entry.name))
      : [path.relative('schemas', path.join(directory, entry.name))]);
}

describe('committed JSON Schema files', () => {
  it('match what generate-schemas writes (run npm run generate:schemas)',
    () => {
      for (const document of documents) {
        const file = path.join('schemas', document.relativePath);
        assert.equal(readFileSync(file, 'utf8'), document.text,
          `${file} is stale: run npm run generate:schemas and commit it`);
      }
      assert.deepEqual(committedFiles('schemas').sort(),
        documents.map((document) => document.relativePath).sort());
    });

  it('give the job request schema an id, a dialect and descriptions', () => {
    const schema = JSON.parse(
      readFileSync('schemas/job-request.schema.json', 'utf8'));
    assert.equal(schema.$schema,
      'https://json-schema.org/draft/2020-12/schema');
    assert.match(schema.$id, /job-request$/);
    assert.equal(schema.additionalProperties, false);
    for (const field of ['homeRegion', 'durationHours', 'constraints']) {
      assert.ok(schema.properties[field].description, `${field} described`);
    }
    assert.deepEqual(schema.properties.homeRegion.examples, regionIds);
  });

  it('accept every valid example and refuse the invalid one', () => {
    // Instants are checked by the schema's own pattern.
    const ajv = new Ajv2020({strict: false, allErrors: true,
      formats: {'date-time': true}});
    const validate = ajv.compile(JSON.parse(
      readFileSync('schemas/job-request.schema.json', 'utf8')));
    for (const name of readdirSync('examples/jobs')) {
      if (!/\.(json|ya?ml)$/.test(name)) continue;
      const text = readFileSync(path.join('examples/jobs', name), 'utf8');
      const job = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      assert.equal(validate(job), name !== 'invalid-job.json',
        `${name}: ${ajv.errorsText(validate.errors)}`);
    }
  });
});
