import assert from 'node:assert/strict';
import {mkdtemp, readdir, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {LocalTrainingBackend} from
  '../../../adapters/local/local-training-backend.js';
import {LocalTrainingPort} from
  '../../../adapters/local/local-training-port.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {
  moveCheckpointIfRegionChanges,
  recordCheckpointMoves,
} from '../../../functions/resume/checkpoint-move.js';
import type {SegmentRecord} from '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {writeCheckpoint} from '../../../trainer/checkpoint-store.js';

const JOB_ID = 'job-move';

describe('checkpoint move on resume (local trainer directory)', () => {
  let root: string;
  let training: LocalTrainingPort;
  const logger = createMemoryLogger();

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'checkpoint-move-'));
    const backend = new LocalTrainingBackend({clock: new VirtualClock(0)});
    training = new LocalTrainingPort(backend, root,
      {stepsPerHour: 100, restartOverheadMs: 0});
    const jobDir = path.join(root, JOB_ID);
    for (const step of [4, 8]) {
      await writeCheckpoint(jobDir, {
        step, seed: 1, loss: 0.5, dataOrder: {epoch: 0, offset: step},
        files: [
          {role: 'model-weights', bytes: new Uint8Array(1000 + step),
            tensors: []},
          {role: 'optimizer-state', bytes: new Uint8Array(300), tensors: []},
        ],
      });
    }
  });

  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  // Every file of step 8 (its two data files and its manifest) on disk.
  async function bytesOfStepEight(): Promise<number> {
    const directory = path.join(root, JOB_ID);
    const names = (await readdir(directory))
      .filter((name) => name.startsWith('checkpoint-000000008.'));
    assert.equal(names.length, 3, `step 8 files: ${names.join(', ')}`);
    let total = 0;
    for (const name of names) {
      total += (await stat(path.join(directory, name))).size;
    }
    return total;
  }

  it('records the bytes of the whole checkpoint on a cross-region resume',
    async () => {
      const move = await moveCheckpointIfRegionChanges({training, logger}, {
        jobId: JOB_ID, fromRegionId: 'europe-west4',
        toRegionId: 'europe-north1', step: 8});
      assert.ok(move);
      assert.equal(move.bytesMoved, await bytesOfStepEight());
      assert.ok(move.bytesMoved > 1008 + 300);

      const record: SegmentRecord = {index: 1, regionId: 'europe-north1',
        trainingJobName: 'local/job-move/segment-1', launchedAtMs: 0};
      assert.equal(recordCheckpointMoves(record, [move]), true);
      assert.equal(record.checkpointBytesMoved, move.bytesMoved);
      assert.equal(record.checkpointFromRegionId, 'europe-west4');
      assert.equal(record.checkpointToRegionId, 'europe-north1');
      assert.equal(record.checkpointMovedStep, 8);
    });

  it('records no move on a same-region resume', async () => {
    const move = await moveCheckpointIfRegionChanges({training, logger}, {
      jobId: JOB_ID, fromRegionId: 'europe-west4',
      toRegionId: 'europe-west4', step: 8});
    assert.equal(move, null);
    const record: SegmentRecord = {index: 1, regionId: 'europe-west4',
      trainingJobName: 'local/job-move/segment-1', launchedAtMs: 0};
    assert.equal(recordCheckpointMoves(record, []), false);
    assert.equal('checkpointBytesMoved' in record, false);
  });

  it('rejects moving a step that has no complete checkpoint', async () => {
    await assert.rejects(moveCheckpointIfRegionChanges({training, logger}, {
      jobId: JOB_ID, fromRegionId: 'europe-west4',
      toRegionId: 'europe-north1', step: 6}),
    {code: 'checkpoint-to-move-missing'});
  });
});
