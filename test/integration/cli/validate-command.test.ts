import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const EXAMPLE = 'examples/jobs/fine-tune-h100.json';
const NOW = '2022-06-14T00:00:00Z';

// Runs the real command in a child process, as a user would.
function validate(file: string) {
  const result = spawnSync(process.execPath, ['bin/carbon-scheduler.js',
    'validate', file, '--now', NOW, '--json'], {encoding: 'utf8'});
  return {status: result.status, stderr: result.stderr,
    output: result.stdout ? JSON.parse(result.stdout) : null};
}

describe('carbon-scheduler validate (the command, as ingest-job checks)',
  function () {
    this.timeout(60_000);
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(path.join(tmpdir(), 'validate-cli-'));
    });
    afterEach(() => rmSync(directory, {recursive: true, force: true}));

    // The example job with its hardware block changed, written as JSON.
    function jobWith(hardware: Record<string, unknown>): string {
      const example = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
      const job = {...example, hardware: {...example.hardware, ...hardware}};
      const file = path.join(directory, 'job.json');
      writeFileSync(file, JSON.stringify(job));
      return file;
    }

    it('rejects an accelerator count the machine type does not carry', () => {
      const run = validate(jobWith({acceleratorCount: 3}));
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(run.output.issues, [{
        field: 'hardware.acceleratorCount',
        problem: 'a3-highgpu-1g carries 1 x NVIDIA_H100_80GB, not 3; use ' +
          'acceleratorCount 1; no machine type carries 3 x ' +
          'NVIDIA_H100_80GB (a3-highgpu-1g: 1, a3-highgpu-2g: 2, ' +
          'a3-highgpu-4g: 4, a3-highgpu-8g: 8)',
      }]);
    });

    it('rejects an H100 on an N1 machine type', () => {
      const run = validate(jobWith({machineType: 'n1-standard-4'}));
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.output.issues[0].field, 'hardware.machineType');
      assert.equal(run.output.issues[0].problem, 'n1-standard-4 can carry ' +
        'only attached NVIDIA_TESLA_T4, not NVIDIA_H100_80GB; for 1 x ' +
        'NVIDIA_H100_80GB use a3-highgpu-1g');
    });

    it('rejects a file the intake would refuse for its name', () => {
      const file = path.join(directory, 'job.txt');
      copyFileSync(EXAMPLE, file);
      const run = validate(file);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.output.valid, false);
      assert.deepEqual(run.output.issues.map((issue: {field: string}) =>
        issue.field), ['(file name)']);
      assert.match(run.output.issues[0].problem,
        /"job\.txt" is not a job file: .*\*\.json, \*\.yaml or \*\.yml/);
    });

    it('accepts the same job named .yml', () => {
      const file = path.join(directory, 'job.yml');
      copyFileSync(EXAMPLE, file);
      const run = validate(file);
      assert.equal(run.status, 0, JSON.stringify(run.output));
    });
  });

