import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const SHIPPED = 'data/traces/electricitymaps_hourly';

function evaluate(args: readonly string[]) {
  return spawnSync(process.execPath,
    ['bin/carbon-scheduler.js', 'evaluate', ...args], {encoding: 'utf8'});
}

describe('carbon-scheduler evaluate (the command)', function () {
  this.timeout(240_000);
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'evaluate-command-'));
  });
  after(() => rmSync(folder, {recursive: true, force: true}));

  it('replays a folder of traces and reports every scenario', () => {
    // A folder of the user's own: two EU zones of 2022.
    const traces = path.join(folder, 'traces');
    const out = path.join(folder, 'out');
    spawnSync('mkdir', ['-p', traces]);
    for (const file of ['DE_2022_hourly.csv', 'FR_2022_hourly.csv']) {
      copyFileSync(path.join(SHIPPED, file), path.join(traces, file));
    }
    const jobs = path.join(folder, 'mix.json');
    writeFileSync(jobs, JSON.stringify({durationsHours: [2, 8],
      deadlines: ['plus-24h'], residencies: ['home', 'EU']}));

    const result = evaluate(['--traces', traces, '--jobs', jobs,
      '--limit', '2', '--out', out, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);

    assert.deepEqual(report.scenarios.map((s: {name: string}) => s.name), [
      'contiguous/home/plus-24h', 'contiguous/EU/plus-24h',
      'interruptible/home/plus-24h', 'interruptible/EU/plus-24h']);
    for (const scenario of report.scenarios) {
      assert.ok(scenario.jobCount > 0, scenario.name);
      assert.deepEqual(Object.keys(scenario.baselines).sort(), [
        'carbonAwareSdkWindow', 'letsWaitAwhileInterruptible',
        'staticLowAverageRegion']);
      assert.ok(scenario.oracleSavedPercent >= scenario.savedPercent - 1e-9,
        `${scenario.name}: oracle below ours`);
      assert.ok(scenario.savedPercent >= 0, `${scenario.name}: saves < 0`);
      assert.equal(scenario.deadlineMisses, 0, scenario.name);
    }
    assert.equal(typeof report.aggregate.ratioToOracle, 'number');
    assert.equal(typeof report.aggregate.temporalRatioToOracle, 'number');
    const interval = report.aggregate.interval95.ratioToOracle;
    assert.ok(interval.low <= report.aggregate.ratioToOracle &&
      report.aggregate.ratioToOracle <= interval.high);

    // Regions whose zone has no trace here are left out and listed.
    const left = report.regionsWithoutTrace.map(
      (r: {regionId: string}) => r.regionId);
    assert.ok(left.includes('europe-west4'));
    assert.ok(!left.includes('europe-west3'));

    assert.match(readFileSync(path.join(out, 'evaluation.svg'), 'utf8'),
      /^<svg/);
    assert.match(readFileSync(path.join(out, 'evaluation.md'), 'utf8'),
      /\| contiguous\/home\/plus-24h \|/);
    assert.ok(existsSync(path.join(out, 'evaluation.json')));
  });

  it('refuses a --limit that is not a whole number, saying what to give',
    () => {
      const result = evaluate(['--limit', 'zero']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--limit: "zero" is not a whole number/);
    });

  it('refuses a --foresight-hours that is not a whole number', () => {
    const result = evaluate(['--foresight-hours', '1.5', '--limit', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr,
      /--foresight-hours: "1\.5" is not a whole number >= 0/);
  });

  it('refuses an empty --foresight-hours rather than reading it as 0',
    () => {
      const result = evaluate(['--foresight-hours', '', '--limit', '1']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--foresight-hours: "" is not a whole/);
    });

  it('refuses an --out folder it cannot write before replaying anything',
    () => {
      const file = path.join(folder, 'a-file');
      writeFileSync(file, 'not a folder');
      const result = evaluate(['--out', path.join(file, 'out'),
        '--limit', '1']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--out: cannot write .*a-file/);
      assert.doesNotMatch(result.stderr, /submission instant replayed/);
    });

  it('refuses traces too short for any job of the mix', () => {
    const traces = path.join(folder, 'short');
    spawnSync('mkdir', ['-p', traces]);
    const lines = readFileSync(path.join(SHIPPED, 'DE_2022_hourly.csv'),
      'utf8').split('\n').slice(0, 200);
    writeFileSync(path.join(traces, 'DE_2022_hourly.csv'),
      lines.join('\n') + '\n');
    const result = evaluate(['--traces', traces, '--limit', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--traces: no job of the mix fits/);
  });

  it('refuses a --traces folder that cannot be read', () => {
    const result = evaluate(['--traces', path.join(folder, 'absent'),
      '--limit', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--traces: cannot use .*hourly\.csv/);
  });

  it('names the wrong field of a job-mix file', () => {
    const jobs = path.join(folder, 'bad-mix.yaml');
    writeFileSync(jobs, 'durationsHours: [0]\n');
    const result = evaluate(['--jobs', jobs, '--limit', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--jobs durationsHours\.0/);
  });
});
