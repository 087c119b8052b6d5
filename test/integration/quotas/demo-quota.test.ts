import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from
  'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {startPubSubEmulator} from '../../../adapters/local/pubsub-emulator.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';

// The emulator CI started, or one of this suite's.
let address = process.env.TEST_PUBSUB_EMULATOR_HOST;
let stopEmulator: (() => Promise<void>) | undefined;

// Where the demo chooses for this job on 2022-06-14 without quota.
const GREENEST = 'northamerica-northeast2';

describe('carbon-scheduler demo --quotas (optimize-slot quota check)',
  function () {
    this.timeout(180_000);
    let folder: string;

    before(async function () {
      if (address) return;
      const emulator = await startPubSubEmulator();
      address = emulator.address;
      stopEmulator = () => emulator.stop();
    });
    after(async () => {
      await stopEmulator?.();
    });
    beforeEach(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'demo-quota-'));
    });
    afterEach(() => {
      rmSync(folder, {recursive: true, force: true});
    });

    // A two-hour job that cannot pause, planned in the morning's window.
    function writeJob(): string {
      const job = JSON.parse(readFileSync('examples/jobs/fine-tune-h100.json',
        'utf8'));
      job.durationHours = 2;
      job.interruptible = false;
      job.constraints.deadline = '2022-06-14T12:00:00Z';
      job.constraints.maxPauses = 0;
      const file = path.join(folder, 'job.json');
      writeFileSync(file, JSON.stringify(job));
      return file;
    }

    function demo(...flags: string[]) {
      return spawnSync(process.execPath, ['bin/carbon-scheduler.js', 'demo',
        '--run-dir', path.join(folder, 'run'), '--json', ...flags],
      {encoding: 'utf8', env: {...process.env, PUBSUB_EMULATOR_HOST: address}});
    }

    it('plans around a region without GPU quota and stores the reason',
      () => {
        const quotas = path.join(folder, 'quotas.json');
        writeFileSync(quotas, JSON.stringify({
          [GREENEST]: {NVIDIA_H100_80GB: 0},
          '*': {NVIDIA_H100_80GB: 8},
        }));

        const result = demo('--job', writeJob(), '--quotas', quotas);

        assert.equal(result.status, 0, result.stderr);
        const printed = JSON.parse(result.stdout);
        assert.equal(printed.status, 'completed');
        assert.notEqual(printed.plan.region, GREENEST);
        const plans = path.join(folder, 'run', 'blobs', 'jobs',
          printed.jobId, 'plans');
        const plan = JSON.parse(readFileSync(
          path.join(plans, readdirSync(plans)[0]!), 'utf8')) as StoredPlan;
        const quotaExcluded = plan.excluded.filter(
          (entry) => entry.reason === 'no-gpu-quota');
        assert.deepEqual(quotaExcluded.map((entry) => entry.regionId),
          [GREENEST]);
        assert.match(quotaExcluded[0]!.message, new RegExp(
          `^no GPU quota: 1 x NVIDIA_H100_80GB needed, the project's ` +
            `limit in ${GREENEST} is 0`));
      });

    it('refuses an unreadable quota file before starting, exit 2', () => {
      const result = demo('--quotas', path.join(folder, 'missing.json'));
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--quotas: cannot read the file/);
    });
  });
