import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {runCommand} from '../cli/run-command.js';

// A 2 h H100 job that may run in europe-west4 (home) or us-central1,
// and a quota file, both in `folder`.
function writeJobAndQuotas(
  folder: string,
  deadline: string,
  limits: Record<string, Record<string, number>>,
): {jobFile: string; quotas: string} {
  const job = JSON.parse(readFileSync('examples/jobs/fine-tune-h100.json',
    'utf8'));
  job.constraints.regions = ['europe-west4', 'us-central1'];
  job.homeRegion = 'europe-west4';
  job.durationHours = 2;
  job.interruptible = false;
  job.constraints.deadline = deadline;
  const jobFile = path.join(folder, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  const quotas = path.join(folder, 'quotas.json');
  writeFileSync(quotas, JSON.stringify(limits));
  return {jobFile, quotas};
}

describe('carbon-scheduler plan --quotas', function () {
  this.timeout(60_000);

  it('excludes a region without GPU quota, with that reason', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'plan-quota-'));
    try {
      const {jobFile, quotas} = writeJobAndQuotas(folder,
        '2025-03-03T17:00:00Z', {'europe-west4': {NVIDIA_H100_80GB: 0},
          '*': {NVIDIA_H100_80GB: 8}});

      const run = await runCommand(['plan', '--job', jobFile,
        '--forecasts', 'test/fixtures/forecasts/c06',
        '--now', '2025-03-03T12:00:00Z', '--quotas', quotas, '--json']);

      assert.equal(run.exitCode, 0, run.stderr);
      const answer = JSON.parse(run.stdout);
      assert.equal(answer.region, 'us-central1');
      assert.deepEqual(answer.excluded.map((e: {region: string}) => e.region),
        ['europe-west4']);
      assert.equal(answer.excluded[0].reason, 'no-gpu-quota');
      assert.match(answer.excluded[0].detail, /^no GPU quota: 1 x /);
    } finally {
      rmSync(folder, {recursive: true, force: true});
    }
  });

  it('names --quotas when no region the job may use has quota', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'plan-quota-'));
    try {
      const {jobFile, quotas} = writeJobAndQuotas(folder,
        '2025-03-03T23:00:00Z', {'*': {NVIDIA_H100_80GB: 0}});

      const run = await runCommand(['plan', '--job', jobFile,
        '--forecasts', 'test/fixtures/forecasts/c06',
        '--now', '2025-03-03T12:00:00Z', '--quotas', quotas]);

      assert.notEqual(run.exitCode, 0);
      assert.match(run.stderr, /--quotas: no region left has GPU quota /);
      assert.match(run.stderr, /raise the quota/);
    } finally {
      rmSync(folder, {recursive: true, force: true});
    }
  });

  it('names --now when no forecast can be issued then', async () => {
    const run = await runCommand(['plan', '--job',
      'examples/jobs/fine-tune-h100.json', '--now', '2020-06-14T00:00:00Z']);
    assert.notEqual(run.exitCode, 0);
    assert.match(run.stderr, /--now: no forecast can be issued then/);
    assert.doesNotMatch(run.stderr, /--regions/);
  });
});
