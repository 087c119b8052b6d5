import assert from 'node:assert/strict';
import {
  TrainerArgumentError,
  parseTrainerArguments,
} from '../../../trainer/trainer-arguments.js';

describe('parseTrainerArguments', () => {
  const valid = [
    '--job-dir', '/tmp/job-42',
    '--max-steps', '100000',
    '--checkpoint-every', '500',
    '--seed', '0',
  ];

  it('reads the job directory, budget, checkpoint interval and seed', () => {
    assert.deepEqual(parseTrainerArguments(valid), {
      jobDir: '/tmp/job-42',
      maxSteps: 100000,
      checkpointEverySteps: 500,
      seed: 0,
    });
  });

  const refusals = [
    {name: 'a missing job directory', argv: valid.slice(2),
      message: /--job-dir is required/},
    {name: 'a budget of zero', argv: [...valid.slice(0, 2), '--max-steps',
      '0', ...valid.slice(4)],
    message: /--max-steps must be an integer of at least 1, got "0"/},
    {name: 'a fractional interval', argv: [...valid.slice(0, 4),
      '--checkpoint-every', '2.5', ...valid.slice(6)],
    message: /--checkpoint-every must be an integer/},
    {name: 'a negative seed', argv: [...valid.slice(0, 6), '--seed=-1'],
      message: /--seed must be an integer of at least 0/},
    {name: 'an unknown flag', argv: [...valid, '--resume-from', 'x'],
      message: /allowed are --job-dir/},
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}`, () => {
      assert.throws(
        () => parseTrainerArguments(refusal.argv),
        (error: unknown) =>
          error instanceof TrainerArgumentError &&
          error.code === 'TRAINER_ARGUMENT_INVALID' &&
          refusal.message.test(error.message),
      );
    });
  }
});
