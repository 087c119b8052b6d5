import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startPubSubEmulator} from '../../../adapters/local/pubsub-emulator.js';

// The emulator CI started (or one of this suite's), passed to the command
// as a user would pass a running one.
let address = process.env.TEST_PUBSUB_EMULATOR_HOST;
let stopEmulator: (() => Promise<void>) | undefined;
function emulatorEnvironment(): NodeJS.ProcessEnv {
  return {...process.env, PUBSUB_EMULATOR_HOST: address};
}

describe('carbon-scheduler demo (the command)', function () {
  this.timeout(120_000);
  before(async function () {
    if (address) return;
    const emulator = await startPubSubEmulator();
    address = emulator.address;
    stopEmulator = () => emulator.stop();
  });
  after(async () => {
    await stopEmulator?.();
  });

  it('exits 1 and names each bad field for an invalid job', () => {
    const runDirectory = mkdtempSync(path.join(tmpdir(), 'demo-command-'));
    try {
      const result = spawnSync(process.execPath, [
        'bin/carbon-scheduler.js', 'demo',
        '--job', 'examples/jobs/invalid-job.json',
        '--run-dir', runDirectory, '--json',
      ], {encoding: 'utf8', env: emulatorEnvironment()});
      assert.equal(result.status, 1, result.stderr);
      const printed = JSON.parse(result.stdout);
      assert.equal(printed.status, 'rejected');
      assert.ok(printed.rejectedReasons.some(
        (reason: {field: string}) => reason.field === 'durationHours'));
    } finally {
      rmSync(runDirectory, {recursive: true, force: true});
    }
  });

  it('refuses a --now that is not an instant, with what to give', () => {
    const result = spawnSync(process.execPath, [
      'bin/carbon-scheduler.js', 'demo', '--now', 'yesterday',
    ], {encoding: 'utf8'});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--now: "yesterday" is not an RFC 3339/);
  });

  it('refuses a --run-dir that holds an earlier run, before starting', () => {
    const runDirectory = mkdtempSync(path.join(tmpdir(), 'demo-command-'));
    try {
      writeFileSync(path.join(runDirectory, 'functions.log'), '{}\n');
      const result = spawnSync(process.execPath, [
        'bin/carbon-scheduler.js', 'demo', '--run-dir', runDirectory,
      ], {encoding: 'utf8', env: emulatorEnvironment()});
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--run-dir: .* already holds a run/);
      assert.match(result.stderr, /give a new or empty folder/);
    } finally {
      rmSync(runDirectory, {recursive: true, force: true});
    }
  });
});
