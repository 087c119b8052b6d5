/**
 * Reads a job-mix file (JSON or YAML): any field of the mix, the rest
 * taken from the default mix. Unknown fields are refused.
 */
import {readFileSync} from 'node:fs';
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {
  EvaluationInputError,
} from '../../shared/evaluation/evaluation-errors.js';
import type {JobMix} from '../../shared/evaluation/evaluation-types.js';
import {DEFAULT_JOB_MIX} from '../../shared/evaluation/job-mix.js';

const positive = z.number().positive();
const mixSchema = z.strictObject({
  kinds: z.array(z.enum(['contiguous', 'interruptible'])).min(1),
  residencies: z.array(z.enum(['home', 'EU', 'US', 'any'])).min(1),
  deadlines: z.array(z.enum(['next-workday', 'plus-24h', 'plus-48h']))
    .min(1),
  durationsHours: z.array(z.number().int().min(1).max(90)).min(1),
  originStepHours: z.number().int().min(1),
  itPowerKilowatts: positive,
  maxPauses: z.number().int().min(0).max(12),
  checkpointsPerJob: z.number().int().min(1).max(48),
  checkpointOverheadMinutes: z.number().min(0).max(59),
  restartOverheadMinutes: z.number().min(0).max(59),
  replanImprovementFraction: z.number().min(0).max(1),
  replanLeadErrorFraction: z.number().min(0).lt(1),
}).partial();

/**
 * The mix in the file, over the default.
 *
 * @throws EvaluationInputError naming the field that is wrong
 */
export function readJobMixFile(file: string): JobMix {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EvaluationInputError('--jobs', `cannot read "${file}"`,
      'the path of a JSON or YAML job-mix file');
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new EvaluationInputError('--jobs', `"${file}" is not JSON or ` +
      `YAML (${(error as Error).message.split('\n')[0]})`,
      'a JSON or YAML object');
  }
  const parsed = mixSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const allowedKeys = Object.keys(mixSchema.shape).join(', ');
    if (issue.code === 'unrecognized_keys') {
      throw new EvaluationInputError('--jobs', `"${file}" has unknown ` +
        `key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`,
      `only the keys ${allowedKeys}`);
    }
    const key = issue.path[0];
    const field = issue.path.join('.') || '(document)';
    const example = typeof key === 'string' && key in DEFAULT_JOB_MIX
      ? `a value like the default's, e.g. ${key}: ` +
        JSON.stringify(DEFAULT_JOB_MIX[key as keyof JobMix])
      : `an object with the keys ${allowedKeys}`;
    throw new EvaluationInputError(`--jobs ${field}`, issue.message,
      example);
  }
  return {...DEFAULT_JOB_MIX, ...parsed.data};
}
