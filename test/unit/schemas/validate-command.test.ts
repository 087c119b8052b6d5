import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {main} from '../../../cli/main.js';

// The instant each shipped example is meant for.
const EXAMPLE_TIMES: Record<string, string> = {
  'fine-tune-h100.json': '2022-06-14T00:00:00Z',
  'eu-only.yaml': '2022-06-14T00:00:00Z',
  'invalid-job.json': '2022-06-14T00:00:00Z',
};

// The real command in a fresh process, as a user runs it.
function validateInProcess(...args: string[]) {
  const result = spawnSync(process.execPath,
    ['bin/carbon-scheduler.js', 'validate', ...args], {encoding: 'utf8'});
  return {status: result.status, stdout: result.stdout,
    stderr: result.stderr};
}

// The same command through main(), with its output captured.
async function validate(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write;
  const writeError = process.stderr.write;
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    const status = await main(['node', 'carbon-scheduler', 'validate',
      ...args]);
    return {status, stdout, stderr};
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeError;
  }
}

describe('carbon-scheduler validate', function () {
  // A fresh process loads every command: slow on a busy machine.
  this.timeout(120_000);

  it('knows the time of every shipped example', () => {
    assert.deepEqual(readdirSync('examples/jobs').filter((name) =>
      /\.(json|ya?ml)$/.test(name)).sort(), Object.keys(EXAMPLE_TIMES).sort());
  });

  for (const [name, now] of Object.entries(EXAMPLE_TIMES)) {
    if (name === 'invalid-job.json') continue;
    it(`exits 0 for examples/jobs/${name} at ${now}`, () => {
      const result = validateInProcess(`examples/jobs/${name}`, '--now', now);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /valid job request/);
    });
  }

  it('exits 1 naming every bad field of the invalid example', async () => {
    const result = await validate('examples/jobs/invalid-job.json', '--now',
      EXAMPLE_TIMES['invalid-job.json']!, '--json');
    assert.equal(result.status, 1);
    const output = JSON.parse(result.stdout);
    assert.equal(output.valid, false);
    assert.deepEqual(
      output.issues.map((issue: {field: string}) => issue.field).sort(),
      ['constraints.deadline', 'durationHours', 'hardware.acceleratorType',
        'project']);
    const type = output.issues.find((issue: {field: string}) =>
      issue.field === 'hardware.acceleratorType');
    assert.match(type.problem, /must be one of: .*NVIDIA_H100_80GB/);
    assert.match(type.problem, /got "NVIDIA_H100"/);
  });

  it('prints field, problem and what is allowed as text', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'validate-'));
    try {
      const file = path.join(directory, 'job.yaml');
      writeFileSync(file, [
        'project: demo-research', 'owner: ml@example.com',
        'trainer: {local: {seed: 7}}', 'homeRegion: us-east4',
        'durationHours: 8',
        'hardware: {machineType: a3-highgpu-1g, ' +
          'acceleratorType: NVIDIA_H100_80GB, acceleratorCount: 1}',
        'constraints: {deadline: "2022-06-14T06:00:00Z"}', ''].join('\n'));
      const result = await validate(file, '--now', '2022-06-14T00:00:00Z');
      assert.equal(result.status, 1);
      assert.match(result.stdout, /1 problem:/);
      assert.match(result.stdout,
        /constraints\.deadline: leaves a window of 6 h from now/);
      const late = await validate(file, '--now', '2022-06-15T00:00:00Z');
      assert.match(late.stdout, /constraints\.deadline: is in the past/);
    } finally {
      rmSync(directory, {recursive: true, force: true});
    }
  });

  it('exits 2 for a file that cannot be read', async () => {
    const result = await validate('examples/jobs/no-such-job.json');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read "examples\/jobs\/no-such-job/);
  });

  it('exits 2 for a --now without a UTC offset', async () => {
    const result = await validate('examples/jobs/fine-tune-h100.json', '--now',
      '2022-06-14T00:00:00');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--now: .* with a UTC offset/);
  });
});
