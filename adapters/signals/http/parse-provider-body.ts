/**
 * Checks a provider's JSON body against its zod schema and turns a
 * mismatch into a typed malformed-body error that names the fields.
 */
import type {z} from 'zod';

import {ProviderMalformedBodyError} from './provider-http-errors.js';
import type {ProviderFailureDetails} from './provider-http-errors.js';

/**
 * The body as the schema's output type.
 *
 * @throws ProviderMalformedBodyError naming each field that is wrong
 */
export function parseProviderBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  details: Omit<ProviderFailureDetails, 'reason'>,
): z.output<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) =>
    `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new ProviderMalformedBodyError({...details,
    reason: body === undefined
      ? 'the body is empty'
      : `unexpected shape: ${problems.join('; ')}`}, result.error);
}
