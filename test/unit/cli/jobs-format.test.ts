import assert from 'node:assert/strict';

import {formatJobStatus} from '../../../cli/jobs-format.js';
import type {JobStatus} from '../../../cli/jobs-status.js';

type Segment = JobStatus['segmentsSoFar'][number];

const SEGMENT: Segment = {
  index: 0, region: 'northamerica-northeast2',
  trainingJobName: 'local/job-a/segment-0',
  launchedAt: '2022-06-15T06:00:00.000Z', startedAt: null,
  endedAt: '2022-06-15T08:40:00.000Z', endState: 'JOB_STATE_SUCCEEDED',
  startStep: 0, endStep: 96,
};

function status(segments: Segment[]): JobStatus {
  return {
    jobId: 'job-a', state: 'completed', project: 'demo-research',
    submittedAt: '2022-06-14T00:00:00.000Z',
    updatedAt: '2022-06-15T09:00:00.000Z', segments: segments.length,
    failureReason: null, deadline: '2022-06-16T00:00:00Z',
    plan: {mode: 'contiguous', why: 'why text', expectedEmissionsKg: 0.2,
      signal: 'replay:electricitymaps-2022',
      segments: [{region: 'northamerica-northeast2',
        start: '2022-06-15T06:00:00.000Z', end: '2022-06-15T09:05:00.000Z'}]},
    segmentsSoFar: segments,
    lastDecision: null,
    emissionsSoFar: {kilograms: 0.264, finalSegments: 1,
      progressSegments: 0, reason: null,
      recordedAt: '2022-06-15T09:00:00.000Z'},
    nextDecision: null,
    commands: [],
  };
}

describe('jobs status as text', () => {
  it('labels the planned end, the last step and the recording apart', () => {
    const text = formatJobStatus(status([SEGMENT]));

    assert.ok(text.includes('planned northamerica-northeast2 ' +
      '2022-06-15T06:00:00.000Z -> 2022-06-15T09:05:00.000Z'), text);
    assert.ok(text.includes('launched 2022-06-15T06:00:00.000Z, trained ' +
      'until 2022-06-15T08:40:00.000Z (last step)'), text);
    assert.ok(text.includes('(1 final, 0 in progress), recorded at ' +
      '2022-06-15T09:00:00.000Z'), text);
  });

  it('shows a step visibly missing only when it is', () => {
    const text = formatJobStatus(status([{...SEGMENT, index: 1,
      startStep: null, endedAt: null, endStep: null, endState: null}]));

    assert.match(text, /#1 \S+ launched \S+, running, steps \?-\?$/m);
  });
});
