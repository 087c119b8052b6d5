import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {TrainerProcess} from '../../../adapters/local/trainer-process.js';
import type {
  TrainerProcessOptions,
} from '../../../adapters/local/trainer-process.js';
import {CheckpointManifest} from '../../../trainer/checkpoint-manifest.js';
import {PAUSE_SIGNAL_FILE} from '../../../trainer/trainer-protocol.js';

// Batch losses wander from step to step; a restart from scratch would be
// about ln(4) = 1.39, far above any checkpoint loss plus this.
const RESUME_LOSS_EPSILON = 0.25;

describe('trainer process over IPC', function () {
  this.timeout(40000);
  let jobDir: string;
  const processes: TrainerProcess[] = [];

  const start = (
    overrides: Partial<TrainerProcessOptions> = {},
  ): TrainerProcess => {
    const trainer = new TrainerProcess({
      jobDir,
      maxSteps: 60,
      checkpointEverySteps: 10,
      seed: 13,
      ...overrides,
    });
    processes.push(trainer);
    return trainer;
  };

  const readManifest = async (step: number): Promise<CheckpointManifest> =>
    CheckpointManifest.parse(
      JSON.parse(
        await readFile(
          path.join(jobDir, `checkpoint-${String(step).padStart(9, '0')}.json`),
          'utf8',
        ),
      ),
    );

  // Runs one step at a time, collecting each step's loss.
  const stepLosses = async (
    trainer: TrainerProcess,
    steps: number,
  ): Promise<number[]> => {
    const losses: number[] = [];
    for (let index = 0; index < steps; index++) {
      const reply = await trainer.request({type: 'run', steps: 1});
      assert.equal(reply.type, 'ran');
      losses.push(reply.type === 'ran' ? reply.loss ?? Number.NaN : Number.NaN);
    }
    return losses;
  };

  // Writes the signal, asks for a check and waits for a clean exit.
  const pause = async (trainer: TrainerProcess) => {
    await writeFile(path.join(jobDir, PAUSE_SIGNAL_FILE), '');
    const reply = await trainer.request({type: 'run', steps: 0});
    const exit = await trainer.exited;
    await rm(path.join(jobDir, PAUSE_SIGNAL_FILE));
    return {reply, exit};
  };

  beforeEach(async () => {
    jobDir = await mkdtemp(path.join(tmpdir(), 'trainer-process-'));
  });

  afterEach(async () => {
    for (const trainer of processes.splice(0)) {
      trainer.kill('SIGKILL');
      await trainer.exited;
    }
    await rm(jobDir, {recursive: true, force: true});
  });

  it('learns, pauses on the signal, resumes within the budget', async () => {
    const first = start();
    assert.deepEqual(
      {...(await first.ready), parameterCount: 0},
      {type: 'ready', step: 0, resumedFromStep: null,
        lastCheckpointStep: null, parameterCount: 0},
    );
    const losses = await stepLosses(first, 24);
    const firstMean = (losses[0]! + losses[1]! + losses[2]!) / 3;
    const lastMean = (losses[21]! + losses[22]! + losses[23]!) / 3;
    assert.ok(lastMean < firstMean * 0.7, `${firstMean} -> ${lastMean}`);

    const {reply, exit} = await pause(first);
    assert.deepEqual(
      {...reply, manifestPath: path.basename(
        reply.type === 'paused' ? reply.manifestPath : '')},
      {type: 'paused', step: 24, checkpointStep: 24,
        manifestPath: 'checkpoint-000000024.json'},
    );
    assert.equal(exit.exitCode, 0);
    const manifest = await readManifest(24);
    assert.equal(manifest.step, 24);
    assert.equal(manifest.loss, losses[23]);

    const second = start();
    const ready = await second.ready;
    assert.equal(ready.step, manifest.step);
    assert.equal(ready.resumedFromStep, 24);
    const [firstResumedLoss] = await stepLosses(second, 1);
    assert.ok(
      firstResumedLoss! <= (manifest.loss ?? 0) + RESUME_LOSS_EPSILON,
      `${firstResumedLoss} after a checkpoint loss of ${manifest.loss}`,
    );

    const done = await second.request({type: 'run', steps: 1000});
    assert.equal(done.type, 'completed');
    assert.equal(done.step, 60);
    if (done.type !== 'completed') return;
    assert.ok(done.heldOutAccuracy > 0.6, `accuracy ${done.heldOutAccuracy}`);
    assert.equal((await second.exited).exitCode, 0);

    const names = (await readdir(jobDir)).filter((n) => n.endsWith('.json'));
    assert.deepEqual(names.sort(), [10, 20, 24, 30, 40, 50, 60].map(
      (step) => `checkpoint-${String(step).padStart(9, '0')}.json`,
    ));
  });

  it('skips a corrupted newest checkpoint and warns in its log', async () => {
    const first = start();
    await stepLosses(first, 24);
    await pause(first);
    const torn = await readManifest(24);
    await writeFile(path.join(jobDir, torn.files[0]!.fileName), 'x');

    const lines: string[] = [];
    const second = start({onLogLine: (line) => lines.push(line)});
    const ready = await second.ready;
    assert.equal(ready.resumedFromStep, 20);
    assert.equal(ready.step, 20);

    await second.request({type: 'run', steps: 2});
    const entries = lines.map((line) => JSON.parse(line));
    for (const entry of entries) {
      assert.equal(typeof entry.severity, 'string');
      assert.equal(typeof entry.message, 'string');
      assert.equal(typeof entry.step, 'number');
    }
    assert.ok(entries.some((e) => e.message === 'step finished'));
    const skipped = entries.find((e) => e.message === 'checkpoint skipped');
    assert.equal(skipped?.severity, 'WARNING');
    assert.equal(skipped?.step, 24);
    assert.match(skipped?.problem, /sha256|bytes/);
    const resumed = entries.find(
      (entry) => entry.message === 'resumed from checkpoint',
    );
    assert.equal(resumed?.step, 20);
  });

  it('rejects a malformed command and keeps serving', async () => {
    const trainer = start();
    await assert.rejects(
      trainer.request({type: 'run', steps: -1}),
      {code: 'TRAINER_PROTOCOL_VIOLATED', message: /steps/},
    );
    const reply = await trainer.request({type: 'run', steps: 2});
    assert.deepEqual({type: reply.type, step: reply.step},
      {type: 'ran', step: 2});
  });

  it('exits with a non-zero code and a reason for a bad argument', async () => {
    const trainer = start({maxSteps: 0});
    await assert.rejects(trainer.ready, /exited \(code 1/);
    const exit = await trainer.exited;
    assert.equal(exit.exitCode, 1);
    assert.match(exit.stderrTail, /--max-steps must be an integer/);
  });
});
