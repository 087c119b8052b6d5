import {createJsonLogger} from '../shared/ports/logger.js';
import {describeIssues} from '../shared/schemas/validation-issues.js';
import {CheckpointingTrainer} from './checkpointing-trainer.js';
import {prepareTensorflow} from './tensorflow-backend.js';
import {parseTrainerArguments} from './trainer-arguments.js';
import {RunCommand} from './trainer-protocol.js';
import type {TrainerMessage} from './trainer-protocol.js';

// The training process: `node --import tsx trainer/main.ts --job-dir DIR
// --max-steps N --checkpoint-every N --seed N`, started with an IPC
// channel. It logs JSON lines to stderr and exits 0 once paused or done.

const logger = createJsonLogger('trainer', (line) =>
  process.stderr.write(line),
);
let running: CheckpointingTrainer | null = null;

async function main(): Promise<void> {
  const options = parseTrainerArguments(process.argv.slice(2));
  if (!process.send) {
    throw new Error(
      'the trainer needs an IPC channel: start it with child_process.fork ' +
        "or spawn with stdio 'ipc'",
    );
  }
  await prepareTensorflow();

  const trainer = await CheckpointingTrainer.start(options, logger);
  running = trainer;
  process.on('disconnect', () => {
    logger.log('WARNING', 'parent went away; stopping without checkpoint', {
      step: trainer.currentStep(),
    });
    process.exit(1);
  });
  let queue = Promise.resolve();
  process.on('message', (message: unknown) => {
    queue = queue.then(() => answer(trainer, message)).catch(fail);
  });
  await send(trainer.readyReply());
}

// One reply per command, in order; exits after a final reply.
async function answer(
  trainer: CheckpointingTrainer,
  message: unknown,
): Promise<void> {
  const parsed = RunCommand.safeParse(message);
  if (!parsed.success) {
    const reason = describeIssues(parsed.error)
      .map((issue) => `${issue.field} ${issue.problem}`)
      .join('; ');
    logger.log('WARNING', 'command rejected', {
      reason,
      step: trainer.currentStep(),
    });
    await send({type: 'rejected', reason: `run command: ${reason}`});
    return;
  }
  const reply = await trainer.run(parsed.data);
  await send(reply);
  if (trainer.isFinished()) {
    trainer.dispose();
    process.exit(0);
  }
}

function send(message: TrainerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, {}, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

function fail(error: unknown): never {
  logger.log('ERROR', 'trainer failed', {
    step: running?.currentStep() ?? null,
    error: error instanceof Error ? error.message : String(error),
    code: (error as {code?: unknown}).code ?? null,
  });
  process.exit(1);
}

main().catch(fail);
