import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {spawnSync} from 'node:child_process';

import {errorObject, hasStack, runBin} from './cli-process.js';

// No Google credentials of any kind, and no emulator.
function withoutCredentials(home: string) {
  return {env: {GOOGLE_APPLICATION_CREDENTIALS: null,
    GOOGLE_CLOUD_PROJECT: null, PUBSUB_EMULATOR_HOST: null, HOME: home,
    CLOUDSDK_CONFIG: home, METADATA_SERVER_DETECTION: 'none'}};
}

describe('carbon-scheduler errors (the bin)', function () {
  this.timeout(120_000);
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'command-errors-'));
  });
  after(() => rmSync(folder, {recursive: true, force: true}));

  it('tells a missing credential for jobs cancel in one line, exit 2',
    async () => {
      const run = await runBin(['jobs', 'cancel', 'some-job', '--project',
        'foo'], withoutCredentials(folder));
      assert.equal(run.status, 2, run.stderr);
      assert.ok(!hasStack(run.stderr), run.stderr);
      assert.match(run.lastLine, new RegExp('GOOGLE_APPLICATION_CREDENTIALS' +
        '.*gcloud auth application-default login'));
    });

  it('tells a missing credential for dlq list once, without a stack',
    async () => {
      const run = await runBin(['dlq', 'list', '--project', 'foo',
        '--json'], withoutCredentials(folder));
      assert.equal(run.status, 2, run.stderr);
      assert.ok(!hasStack(run.stderr), run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      const error = errorObject(run);
      assert.equal(error.code, 'credentials-missing');
      assert.equal(error.field, 'GOOGLE_APPLICATION_CREDENTIALS');
    });

  it('refuses a demo --run-dir that is a file, naming the flag', async () => {
    const file = path.join(folder, 'a-file');
    writeFileSync(file, 'x');
    const run = await runBin(['demo', '--run-dir', file, '--json']);
    assert.equal(run.status, 2, run.stderr);
    assert.ok(!hasStack(run.stderr), run.stderr);
    assert.match(run.lastLine, /^--run-dir: ".*" is a file, not a folder/);
    assert.equal(errorObject(run).field, '--run-dir');
  });

  it('refuses a demo --now without an offset, as the others do',
    async () => {
      const run = await runBin(['demo', '--now', '2022-06-14T00:00:00',
        '--json']);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.lastLine, new RegExp('^--now: "2022-06-14T00:00:00" ' +
        'is not an RFC 3339 instant with a UTC offset'));
      assert.equal(errorObject(run).field, '--now');
    });

  it('prints the stack only with --verbose, still ending in the line',
    async () => {
      const file = path.join(folder, 'another-file');
      writeFileSync(file, 'x');
      const quiet = await runBin(['demo', '--run-dir', file]);
      const verbose = await runBin(['demo', '--run-dir', file, '--verbose']);
      const debug = await runBin(['demo', '--run-dir', file],
        {env: {DEBUG: '1'}});
      assert.ok(!hasStack(quiet.stderr));
      assert.ok(hasStack(verbose.stderr), verbose.stderr);
      assert.ok(hasStack(debug.stderr), debug.stderr);
      assert.equal(verbose.lastLine, quiet.lastLine);
      assert.equal(verbose.status, 2);
    });

  it('reports a bad --deadline before a missing --project', async () => {
    const run = await runBin(['jobs', 'extend', 'some-job', '--deadline',
      'tomorrow', '--json'], {env: {GOOGLE_CLOUD_PROJECT: null}});
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.lastLine, /^deadline: must be an RFC 3339/);
    assert.equal(errorObject(run).field, 'deadline');
  });

  it('prints the package version for --version', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as
      {version: string}).version;
    const run = await runBin(['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('notes where the forecast data ends when it runs short', async () => {
    const args = ['forecast', '--zone', 'DE', '--at', '2022-12-30T12:00:00Z',
      '--hours', '72', '--provider', 'replay'];
    const json = await runBin([...args, '--json']);
    const text = await runBin(args);
    assert.equal(json.status, 0, json.stderr);
    const printed = JSON.parse(json.stdout) as {points: unknown[];
      notes: string[]};
    assert.equal(printed.points.length, 36);
    assert.ok(printed.notes.some((note) =>
      /36 of 72 h: .* ends at 2023-01-01T00:00:00\.000Z/.test(note)),
    printed.notes.join('\n'));
    assert.match(text.stdout, /note: 36 of 72 h: .* ends at 2023-01-01/);
  });

  it('says --month is required with --project', async () => {
    const run = await runBin(['report', '--project', 'demo-research',
      '--json']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.lastLine, /^--month: required with --project/);
    assert.equal(errorObject(run).field, '--month');
  });

  it('names --lat when the latitude is out of range', async () => {
    const run = await runBin(['intensity', '--lat', '200', '--lon', '8',
      '--json']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.lastLine, /^--lat: 200 is out of range/);
    const error = errorObject(run);
    assert.equal(error.field, '--lat');
    assert.equal(error.code, 'invalid-option');
  });

  it('names the allowed keys of a job mix, not the source code',
    async () => {
      const mix = path.join(folder, 'mix.json');
      writeFileSync(mix, JSON.stringify({durationsHour: [2]}));
      const run = await runBin(['evaluate', '--jobs', mix, '--limit', '1',
        '--json']);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.lastLine, new RegExp('unknown key\\(s\\) ' +
        '"durationsHour".*only the keys kinds, .*durationsHours'));
      assert.doesNotMatch(run.stderr, /\.ts\b/);
      assert.equal(errorObject(run).field, '--jobs');
    });
});

describe('carbon-scheduler --json on usage errors (the bin)', function () {
  this.timeout(240_000);
  const commands: readonly string[][] = [
    ['regions'], ['intensity'], ['forecast'], ['validate', 'x.json'],
    ['report'], ['jobs', 'list'], ['jobs', 'status', 'x'],
    ['jobs', 'cancel', 'x'], ['evaluate'], ['footprint', '--segments', 'x'],
    ['dashboard'],
    ['demo'], ['dlq', 'list'], ['plan'],
  ];

  for (const command of commands) {
    it(`exits 2 with the JSON error for an unknown option of ` +
      `${command.join(' ')}`, async () => {
      const run = await runBin([...command, '--no-such-flag', '--json']);
      assert.equal(run.status, 2, run.stderr);
      assert.ok(!hasStack(run.stderr), run.stderr);
      const error = errorObject(run);
      assert.equal(error.code, 'usage-unknownOption');
      assert.equal(error.field, '--no-such-flag');
      assert.match(run.lastLine, /unknown option '--no-such-flag'/);
    });
  }

  it('exits 2 with the JSON error for an option missing its value',
    async () => {
      const run = await runBin(['forecast', '--json', '--hours']);
      assert.equal(run.status, 2, run.stderr);
      const error = errorObject(run);
      assert.equal(error.code, 'usage-optionMissingArgument');
      assert.equal(error.field, '--hours');
    });

  it('exits 2 with the JSON error for a missing required option',
    async () => {
      const run = await runBin(['jobs', 'extend', 'x', '--json']);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(errorObject(run).field, '--deadline');
    });

  it('gives a command\'s own error line the JSON shape (validate)',
    async () => {
      const run = await runBin(['validate', 'no-such-file.json', '--json']);
      assert.equal(run.status, 2, run.stderr);
      const error = errorObject(run);
      assert.equal(error.field, 'FILE');
      assert.equal(error.message, run.lastLine);
    });
});

describe('carbon-scheduler output read only in part (the bin)', function () {
  this.timeout(60_000);

  it('ends quietly when its reader stops early (| head)', () => {
    // A long help text into a reader that takes one line and leaves.
    const run = spawnSync('bash', ['-c',
      'node bin/carbon-scheduler.js --help | head -1; ' +
      'exit "${PIPESTATUS[0]}"'], {encoding: 'utf8'});
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: carbon-scheduler/);
    assert.doesNotMatch(run.stderr, /EPIPE|unexpected failure/);
  });
});
