import {z} from 'zod';
import {
  envelopeV1Schema,
  envelopeV2Schema,
} from '../messaging/envelope.js';
import {TOPIC_SCHEMAS} from '../messaging/topic-schemas.js';
import {TOPICS} from '../messaging/topics.js';
import {jobRequestSchema} from './job-request.js';

/**
 * The JSON Schema files committed under schemas/, generated from the zod
 * schemas with `z.toJSONSchema` (npm run generate:schemas). A test
 * regenerates them and fails when a committed file is stale.
 */

/** Prefix of every generated schema's `$id`. */
export const SCHEMA_ID_PREFIX = 'urn:carbon-aware-training-scheduler:schema:';

/** The pattern of a region id in the job request schema. */
const REGION_ID_PATTERN = '^[a-z]+-[a-z]+[0-9]+$';

/** One file to write: its path under schemas/ and its JSON text. */
export interface SchemaDocument {
  readonly relativePath: string;
  readonly text: string;
}

/**
 * Every schema document, in a stable order. `regionIds` are offered as
 * examples wherever a region id goes, for editor completion.
 */
export function buildSchemaDocuments(
  regionIds: readonly string[],
): SchemaDocument[] {
  const documents: SchemaDocument[] = [
    document('job-request', 'Job request', jobRequestSchema, regionIds),
    document('envelope-v1', 'Request envelope, version 1',
      envelopeV1Schema, regionIds),
    document('envelope-v2', 'Request envelope, version 2 (current)',
      envelopeV2Schema, regionIds),
  ];
  for (const topic of TOPICS) {
    documents.push(document(`topics/${topic}`,
      `Message data on the ${topic} topic`, TOPIC_SCHEMAS[topic], regionIds));
  }
  return documents;
}

function document(
  name: string,
  title: string,
  schema: z.ZodType,
  regionIds: readonly string[],
): SchemaDocument {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (context) => {
      const json = context.jsonSchema as {pattern?: string; examples?: unknown};
      if (json.pattern === REGION_ID_PATTERN) json.examples = [...regionIds];
    },
  }) as Record<string, unknown>;
  const {$schema, ...rest} = generated;
  const ordered = {
    $schema,
    $id: `${SCHEMA_ID_PREFIX}${name.replace('/', ':')}`,
    title,
    ...rest,
  };
  return {
    relativePath: `${name}.schema.json`,
    text: JSON.stringify(ordered, null, 2) + '\n',
  };
}
