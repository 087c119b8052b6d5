import {parseArgs} from 'node:util';
import {SchedulerError} from '../shared/errors.js';
import {TRAINER_TEST_FAULTS} from './trainer-test-faults.js';
import type {TrainerTestFault} from './trainer-test-faults.js';

/** How a trainer process was asked to run. */
export interface TrainerArguments {
  /** Where checkpoints live; shared by every segment of one job. */
  readonly jobDir: string;
  /** The job's total step budget, not steps to add. */
  readonly maxSteps: number;
  readonly checkpointEverySteps: number;
  readonly seed: number;
  /** A fault a test asked for (`--test-fault`); absent in production. */
  readonly testFault?: TrainerTestFault;
}

/** A command-line argument of the trainer is missing or out of range. */
export class TrainerArgumentError extends SchedulerError {
  constructor(message: string) {
    super('TRAINER_ARGUMENT_INVALID', message, {retryable: false});
  }
}

/**
 * Parses `--job-dir DIR --max-steps N --checkpoint-every N --seed N`,
 * and the test-only `--test-fault NAME`.
 *
 * @param argv - the arguments after the script name
 * @throws TrainerArgumentError naming the flag and what is allowed
 */
export function parseTrainerArguments(
  argv: readonly string[],
): TrainerArguments {
  let values: Record<string, string | undefined>;
  try {
    ({values} = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'job-dir': {type: 'string'},
        'max-steps': {type: 'string'},
        'checkpoint-every': {type: 'string'},
        seed: {type: 'string'},
        'test-fault': {type: 'string'},
      },
    }));
  } catch (error) {
    throw new TrainerArgumentError(
      `trainer arguments: ${(error as Error).message}; allowed are ` +
        '--job-dir, --max-steps, --checkpoint-every, --seed, --test-fault',
    );
  }
  const jobDir = values['job-dir'];
  if (!jobDir) {
    throw new TrainerArgumentError(
      '--job-dir is required: the directory that holds the checkpoints',
    );
  }
  return {
    jobDir,
    maxSteps: integerFlag(values, 'max-steps', 1),
    checkpointEverySteps: integerFlag(values, 'checkpoint-every', 1),
    seed: integerFlag(values, 'seed', 0),
    ...testFaultFlag(values['test-fault']),
  };
}

function testFaultFlag(
  text: string | undefined,
): {testFault?: TrainerTestFault} {
  if (text === undefined) return {};
  const fault = TRAINER_TEST_FAULTS.find((name) => name === text);
  if (!fault) {
    throw new TrainerArgumentError(
      `--test-fault must be one of ${TRAINER_TEST_FAULTS.join(', ')}, ` +
        `got ${JSON.stringify(text)}; leave it out outside tests`,
    );
  }
  return {testFault: fault};
}

function integerFlag(
  values: Record<string, string | undefined>,
  flag: string,
  minimum: number,
): number {
  const text = values[flag];
  const value = text === undefined ? Number.NaN : Number(text);
  if (!/^\d+$/.test(text ?? '') || !Number.isSafeInteger(value) ||
      value < minimum) {
    throw new TrainerArgumentError(
      `--${flag} must be an integer of at least ${minimum}, got ` +
        `${text === undefined ? 'nothing' : JSON.stringify(text)}`,
    );
  }
  return value;
}
