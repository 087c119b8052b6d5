import assert from 'node:assert/strict';

import type {DemoResult} from '../../../cli/demo.js';
import {formatDemoSummary} from '../../../cli/demo-summary.js';
import {describeProgress} from '../../../cli/progress.js';

// A completed demo whose three instants all differ.
const RESULT: DemoResult = {
  jobId: 'job-a', status: 'completed',
  plan: {region: 'northamerica-northeast2',
    start: '2022-06-14T06:00:00.000Z', end: '2022-06-15T09:05:00.000Z',
    mode: 'segments', why: 'why text', expectedEmissionsKg: 0.167,
    signal: 'replay:electricitymaps-2022'},
  pauses: 0, pauseDetails: [], emissionsKg: 0.264, scope2Kg: 0.119,
  embodiedKg: 0.145, counterfactualEmissionsKg: 3.296,
  counterfactualRegion: 'us-east4', savedPercent: 92, savedScope2Percent: 96,
  ledgerRows: 3, ledgerTotalKg: 0.264,
  training: {steps: 96, heldOutAccuracy: 0.92},
  dataSource: 'replay:electricitymaps-2022',
  trainedUntil: '2022-06-15T08:40:00.000Z',
  recordedAt: '2022-06-15T09:00:00.000Z',
  virtualStart: '2022-06-14T00:00:00.000Z',
  virtualEnd: '2022-06-15T09:00:00.000Z',
  runDirectory: '.local/runs/x',
};

describe('the demo summary', () => {
  it('labels the planned end, the last step and the recording apart', () => {
    const text = formatDemoSummary(RESULT);

    assert.match(text, /planned 2022-06-14T06:00:00\.000Z to 2022-06-15T09:05/);
    assert.match(text, /trained until 2022-06-15T08:40:00\.000Z \(last step\)/);
    assert.match(text, /footprint recorded at 2022-06-15T09:00:00\.000Z/);
  });

  it('says unknown when the last step or the recording is missing', () => {
    const text = formatDemoSummary({...RESULT, trainedUntil: null,
      recordedAt: null});

    assert.ok(text.includes('trained until unknown (last step); ' +
      'footprint recorded at unknown'), text);
  });
});

describe('the demo progress line of a finished segment', () => {
  it('names the poll that noticed the end and the last step\'s time', () => {
    const line = describeProgress('2022-06-15T09:00:00.000Z',
      'training completed', {progress: true, step: 96,
        heldOutAccuracy: 0.9209, endedAt: '2022-06-15T08:40:00.000Z',
        pollIntervalSeconds: 1800});

    assert.equal(line, '[2022-06-15 09:00Z] monitor poll (every 30 min) ' +
      'found training completed: last step 96 at 2022-06-15T08:40:00.000Z, ' +
      'held-out accuracy 0.921');
    assert.doesNotMatch(line!, /completed at/);
  });

  it('keeps an unknown end visibly unknown', () => {
    const line = describeProgress('2022-06-15T09:00:00.000Z',
      'training failed', {progress: true, step: null, endedAt: null});

    assert.match(line!, /training failed: last step unknown at an unknown/);
  });
});
