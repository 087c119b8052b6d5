import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {CheckpointingTrainer} from '../../../trainer/checkpointing-trainer.js';
import {prepareTensorflow} from '../../../trainer/tensorflow-backend.js';
import {PAUSE_SIGNAL_FILE} from '../../../trainer/trainer-protocol.js';
import type {TrainerArguments} from '../../../trainer/trainer-arguments.js';

describe('CheckpointingTrainer', function () {
  this.timeout(30000);
  let jobDir: string;
  const trainers: CheckpointingTrainer[] = [];

  const start = async (
    overrides: Partial<TrainerArguments> = {},
    logger = createMemoryLogger(),
  ): Promise<CheckpointingTrainer> => {
    const options = {
      jobDir,
      maxSteps: 20,
      checkpointEverySteps: 5,
      seed: 4,
      ...overrides,
    };
    const trainer = await CheckpointingTrainer.start(options, logger);
    trainers.push(trainer);
    return trainer;
  };

  const manifests = async (): Promise<string[]> =>
    (await readdir(jobDir)).filter((name) => name.endsWith('.json')).sort();

  before(prepareTensorflow);

  beforeEach(async () => {
    jobDir = await mkdtemp(path.join(tmpdir(), 'checkpointing-trainer-'));
  });

  afterEach(async () => {
    for (const trainer of trainers.splice(0)) trainer.dispose();
    await rm(jobDir, {recursive: true, force: true});
  });

  it('checkpoints every N steps', async () => {
    const trainer = await start();
    const reply = await trainer.run({type: 'run', steps: 12});
    assert.equal(reply.type, 'ran');
    assert.equal(reply.step, 12);
    assert.equal(reply.type === 'ran' && reply.lastCheckpointStep, 10);
    assert.deepEqual(await manifests(), [
      'checkpoint-000000005.json',
      'checkpoint-000000010.json',
    ]);
  });

  it('treats run 0 as a pure signal check', async () => {
    const trainer = await start();
    await trainer.run({type: 'run', steps: 3});
    const reply = await trainer.run({type: 'run', steps: 0});
    assert.deepEqual(
      {type: reply.type, step: reply.step},
      {type: 'ran', step: 3},
    );
    assert.equal(trainer.isFinished(), false);
  });

  it('checkpoints the current step and stops on the pause signal', async () => {
    const trainer = await start();
    await trainer.run({type: 'run', steps: 7});
    await writeFile(path.join(jobDir, PAUSE_SIGNAL_FILE), '');
    const reply = await trainer.run({type: 'run', steps: 0});
    assert.equal(reply.type, 'paused');
    assert.equal(reply.type === 'paused' && reply.checkpointStep, 7);
    assert.equal(
      reply.type === 'paused' && path.basename(reply.manifestPath),
      'checkpoint-000000007.json',
    );
    assert.equal(trainer.isFinished(), true);
  });

  it('looks for the signal between the steps of one command', async () => {
    const trainer = await start();
    await writeFile(path.join(jobDir, PAUSE_SIGNAL_FILE), '');
    const reply = await trainer.run({type: 'run', steps: 5});
    assert.equal(reply.type, 'paused');
    assert.equal(reply.step, 0);
    assert.deepEqual(await manifests(), ['checkpoint-000000000.json']);
  });

  it('completes at the budget with a checkpoint and an accuracy', async () => {
    const trainer = await start({maxSteps: 8});
    const reply = await trainer.run({type: 'run', steps: 50});
    assert.equal(reply.type, 'completed');
    assert.equal(reply.step, 8);
    if (reply.type !== 'completed') return;
    assert.equal(reply.checkpointStep, 8);
    assert.ok(reply.heldOutAccuracy >= 0 && reply.heldOutAccuracy <= 1);
    assert.deepEqual(await manifests(), [
      'checkpoint-000000005.json',
      'checkpoint-000000008.json',
    ]);
  });

  it('keeps max steps as the total budget after a resume', async () => {
    const first = await start();
    await first.run({type: 'run', steps: 13});
    await writeFile(path.join(jobDir, PAUSE_SIGNAL_FILE), '');
    await first.run({type: 'run', steps: 0});
    await rm(path.join(jobDir, PAUSE_SIGNAL_FILE));

    const second = await start();
    assert.equal(second.readyReply().resumedFromStep, 13);
    const reply = await second.run({type: 'run', steps: 100});
    assert.equal(reply.type, 'completed');
    assert.equal(reply.step, 20);
  });

  it('resumes from the highest valid checkpoint past a torn one', async () => {
    const first = await start();
    await first.run({type: 'run', steps: 15});
    const newest = JSON.parse(
      await readFile(path.join(jobDir, 'checkpoint-000000015.json'), 'utf8'),
    );
    await writeFile(path.join(jobDir, newest.files[1].fileName), 'torn');

    const logger = createMemoryLogger();
    const second = await start({}, logger);
    assert.equal(second.readyReply().resumedFromStep, 10);
    const warning = logger.entries.find(
      (entry) => entry.message === 'checkpoint skipped',
    );
    assert.equal((warning?.fields as {step?: number}).step, 15);
    assert.equal(warning?.severity, 'WARNING');
    assert.equal((await manifests()).length, 3);
  });
});
