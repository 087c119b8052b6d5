import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {openRunStores} from '../../../cli/jobs-run-directory.js';
import {readJobStatus} from '../../../cli/jobs-status.js';
import {writeSnapshot} from '../../../shared/jobs/job-snapshot.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');

describe('jobs status read from a run folder', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'jobs-status-'));
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('starts the first segment at step 0 in a record that lacks it, and ' +
    'leaves a later one unknown', async () => {
    const stores = openRunStores(directory);
    await writeSnapshot(stores.blobs, {
      jobId: 'job-a', state: 'paused', submittedAtMs: T0,
      updatedAtMs: T0 + 6 * HOUR_MS, lastSequence: 4, decisions: [],
      segments: [
        {index: 0, regionId: 'us-east4', trainingJobName: 'a-0',
          launchedAtMs: T0 + HOUR_MS, endedAtMs: T0 + 3 * HOUR_MS,
          endStep: 24},
        {index: 1, regionId: 'us-east4', trainingJobName: 'a-1',
          launchedAtMs: T0 + 5 * HOUR_MS},
      ],
    });

    const status = await readJobStatus(stores, 'job-a', {pollSeconds: 1800});

    assert.deepEqual(status?.segmentsSoFar.map((s) => s.startStep),
      [0, null]);
  });
});
