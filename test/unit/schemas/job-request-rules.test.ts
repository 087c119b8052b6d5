import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parseJobDocument} from '../../../shared/schemas/parse-job-document.js';
import type {ValidationIssue} from
  '../../../shared/schemas/validation-issues.js';

const NOW_MS = Date.parse('2022-06-14T00:00:00Z');
const EXAMPLE = JSON.parse(
  readFileSync('examples/jobs/fine-tune-h100.json', 'utf8'));
const REGION_IDS = ['europe-west4', 'us-central1', 'us-east4'];

// The example with `constraints` (and top-level fields) changed.
function issuesOf(
  change: Record<string, unknown>,
  constraints: Record<string, unknown> = {},
): ValidationIssue[] {
  const job = {...EXAMPLE, ...change,
    constraints: {...EXAMPLE.constraints, ...constraints}};
  const result = parseJobDocument(JSON.stringify(job),
    {nowMs: NOW_MS, regionIds: REGION_IDS});
  return result.ok ? [] : result.issues;
}

describe('job request rules across fields', () => {
  it('accepts the shipped example at its time', () => {
    assert.deepEqual(issuesOf({}), []);
  });

  it('names the limit of an absurd duration instead of failing', () => {
    for (const durationHours of [1e308, 1e12]) {
      const issues = issuesOf({durationHours});
      assert.deepEqual(issues.map((issue) => issue.field), ['durationHours']);
      assert.match(issues[0]!.problem, /at most 2160/);
    }
  });

  it('rejects a deadline without a UTC offset, saying so', () => {
    const [issue] = issuesOf({}, {deadline: '2022-06-16T00:00:00'});
    assert.equal(issue?.field, 'constraints.deadline');
    assert.match(issue!.problem, /has no UTC offset/);
    assert.match(issue!.problem, /2022-06-16T00:00:00Z/);
  });

  it('rejects an earliest start without a UTC offset, saying so', () => {
    const [issue] = issuesOf({}, {earliestStart: '2022-06-14T08:00'});
    assert.equal(issue?.field, 'constraints.earliestStart');
    assert.match(issue!.problem, /has no UTC offset/);
  });

  it('rejects a window from now shorter than the job', () => {
    const [issue] = issuesOf({durationHours: 8},
      {deadline: '2022-06-14T05:00:00Z'});
    assert.equal(issue?.field, 'constraints.deadline');
    assert.match(issue!.problem,
      /window of 5 h from now .* shorter than the job \(durationHours = 8\)/);
    assert.match(issue!.problem, /at or after 2022-06-14T08:00:00.000Z/);
  });

  it('rejects a window from the earliest start shorter than the job', () => {
    const [issue] = issuesOf({durationHours: 8}, {
      earliestStart: '2022-06-15T10:00:00+02:00',
      deadline: '2022-06-15T12:00:00Z'});
    assert.match(issue!.problem,
      /window of 4 h from constraints\.earliestStart/);
  });

  it('rejects a deadline before the earliest start', () => {
    const [issue] = issuesOf({}, {earliestStart: '2022-06-15T00:00:00Z',
      deadline: '2022-06-14T12:00:00Z'});
    assert.equal(issue?.field, 'constraints.deadline');
    assert.match(issue!.problem, /must be after constraints\.earliestStart/);
  });

  it('rejects a deadline in the past relative to now', () => {
    const [issue] = issuesOf({}, {deadline: '2022-06-13T23:00:00Z'});
    assert.match(issue!.problem, /is in the past/);
  });

  it('rejects a job shorter than one checkpoint interval', () => {
    const [issue] = issuesOf({durationHours: 0.2, checkpointEveryMinutes: 30});
    assert.equal(issue?.field, 'durationHours');
    assert.match(issue!.problem, /shorter than one checkpoint interval/);
    assert.deepEqual(issuesOf({durationHours: 0.2,
      checkpointEveryMinutes: 10}), []);
  });

  it('names the allowed regions for one not in the catalog', () => {
    const issues = issuesOf({homeRegion: 'us-east9'},
      {regions: ['europe-west4', 'europe-west99']});
    assert.deepEqual(issues.map((issue) => issue.field),
      ['homeRegion', 'constraints.regions.1']);
    assert.match(issues[0]!.problem,
      /"us-east9"; allowed: europe-west4, us-central1, us-east4/);
  });

  it('does not pile a window error onto a bad duration', () => {
    const issues = issuesOf({durationHours: 100000});
    assert.deepEqual(issues.map((issue) => issue.field), ['durationHours']);
  });

  it('keeps the reasons of the shipped invalid example unchanged', () => {
    const result = parseJobDocument(
      readFileSync('examples/jobs/invalid-job.json'), {nowMs: NOW_MS});
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.deepEqual(result.issues.map((issue) => issue.field).sort(), [
        'constraints.deadline', 'durationHours', 'hardware.acceleratorType',
        'project']);
    }
  });

  it('rejects an accelerator count the machine type does not carry, ' +
      'naming the machine for it', () => {
    const issues = issuesOf({hardware: {...EXAMPLE.hardware,
      acceleratorCount: 2}});
    assert.deepEqual(issues, [{field: 'hardware.acceleratorCount',
      problem: 'a3-highgpu-1g carries 1 x NVIDIA_H100_80GB, not 2; use ' +
        'acceleratorCount 1 or a3-highgpu-2g for 2'}]);
  });

  it('rejects an H100 on an N1 machine type at hardware.machineType', () => {
    const issues = issuesOf({hardware: {...EXAMPLE.hardware,
      machineType: 'n1-standard-4'}});
    assert.deepEqual(issues.map((issue) => issue.field),
      ['hardware.machineType']);
    assert.match(issues[0]!.problem,
      /n1-standard-4 can carry only attached NVIDIA_TESLA_T4.*a3-highgpu-1g/);
  });

  it('does not add a hardware rule onto a count the schema refuses', () => {
    const issues = issuesOf({hardware: {...EXAMPLE.hardware,
      acceleratorCount: 17}});
    assert.deepEqual(issues.map((issue) => issue.field),
      ['hardware.acceleratorCount']);
    assert.match(issues[0]!.problem, /at most 16/);
  });

  it('names a machine type the hardware data does not know', () => {
    const job = {...EXAMPLE, hardware: {...EXAMPLE.hardware,
      machineType: 'a9-highgpu-1g'}};
    const result = parseJobDocument(JSON.stringify(job), {nowMs: NOW_MS,
      regionIds: REGION_IDS, machineTypes: ['a3-highgpu-1g']});
    assert.equal(result.ok, false);
    const [issue] = result.ok ? [] : result.issues;
    assert.equal(issue?.field, 'hardware.machineType');
    assert.match(issue!.problem, new RegExp('not a machine type in the ' +
      'hardware data: "a9-highgpu-1g"; accelerator machine types: .*' +
      'a3-highgpu-1g'));
  });
});
