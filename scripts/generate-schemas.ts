/**
 * Writes the JSON Schema files under schemas/ from the zod schemas.
 * Run: npm run generate:schemas (commit the result).
 */
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import {buildSchemaDocuments} from '../shared/schemas/json-schema-documents.js';

const OUTPUT_DIRECTORY = 'schemas';

const regionIds = loadRegionCatalog().regions.map((region) => region.id);
for (const document of buildSchemaDocuments(regionIds)) {
  const file = path.join(OUTPUT_DIRECTORY, document.relativePath);
  await mkdir(path.dirname(file), {recursive: true});
  await writeFile(file, document.text);
  process.stdout.write(`${file}\n`);
}
