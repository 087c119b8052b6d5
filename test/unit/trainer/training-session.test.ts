import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  findLatestValidCheckpoint,
  writeCheckpoint,
} from '../../../trainer/checkpoint-store.js';
import {prepareTensorflow} from '../../../trainer/tensorflow-backend.js';
import {TrainingSession} from '../../../trainer/training-session.js';
import {CLASS_COUNT} from '../../../trainer/synthetic-dataset.js';

function trainFor(session: TrainingSession, steps: number): number[] {
  return Array.from({length: steps}, () => session.trainStep());
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('TrainingSession', function () {
  this.timeout(30000);
  const sessions: TrainingSession[] = [];
  const open = (seed: number): TrainingSession => {
    const session = new TrainingSession(seed);
    sessions.push(session);
    return session;
  };

  before(prepareTensorflow);

  afterEach(() => {
    for (const session of sessions.splice(0)) session.dispose();
  });

  it('has between 10k and 30k parameters', () => {
    const count = open(1).parameterCount();
    assert.ok(count >= 10_000 && count <= 30_000, `${count}`);
  });

  it('lowers the loss and beats chance on held-out examples', () => {
    const session = open(21);
    const before = session.heldOutAccuracy();
    const losses = trainFor(session, 120);
    const firstLosses = mean(losses.slice(0, 10));
    const lastLosses = mean(losses.slice(-10));
    assert.ok(lastLosses < firstLosses / 2, `${firstLosses} -> ${lastLosses}`);
    const accuracy = session.heldOutAccuracy();
    assert.ok(accuracy > before + 0.2, `${before} -> ${accuracy}`);
    assert.ok(accuracy > 2 / CLASS_COUNT, `${accuracy}`);
  });

  it('gives the same losses for the same seed', () => {
    assert.deepEqual(trainFor(open(8), 15), trainFor(open(8), 15));
  });

  it('gives other losses for another seed', () => {
    assert.notDeepEqual(trainFor(open(8), 5), trainFor(open(9), 5));
  });

  it('continues from a checkpoint as the unbroken run does', async () => {
    const jobDir = await mkdtemp(path.join(tmpdir(), 'training-session-'));
    try {
      const unbroken = trainFor(open(5), 50);
      const interrupted = open(5);
      trainFor(interrupted, 30);
      await writeCheckpoint(jobDir, await interrupted.checkpointRecord());

      const resumed = open(5);
      const checkpoint = await findLatestValidCheckpoint(jobDir);
      assert.ok(checkpoint);
      await resumed.restore(jobDir, checkpoint);
      assert.equal(resumed.step, 30);
      assert.deepEqual(resumed.position, interrupted.position);
      assert.equal(resumed.loss, unbroken[29]);

      // tfjs's Adam recomputes its beta powers with pow() on restore, so
      // later losses may differ from the unbroken run in the last bits.
      const continued = trainFor(resumed, 20);
      continued.forEach((loss, index) => {
        const expected = unbroken[30 + index] ?? Number.NaN;
        assert.ok(Math.abs(loss - expected) < 1e-5, `${loss} vs ${expected}`);
      });
    } finally {
      await rm(jobDir, {recursive: true, force: true});
    }
  });

  it('refuses a checkpoint made with another seed', async () => {
    const jobDir = await mkdtemp(path.join(tmpdir(), 'training-session-'));
    try {
      const other = open(6);
      trainFor(other, 2);
      await writeCheckpoint(jobDir, await other.checkpointRecord());
      const checkpoint = await findLatestValidCheckpoint(jobDir);
      assert.ok(checkpoint);
      await assert.rejects(open(5).restore(jobDir, checkpoint), /seed 6/);
    } finally {
      await rm(jobDir, {recursive: true, force: true});
    }
  });
});
