import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

const FIXTURES = 'test/fixtures/forecasts';

// Runs the real command in a child process, as a user would.
function plan(...args: string[]) {
  const result = spawnSync(process.execPath,
    ['bin/carbon-scheduler.js', 'plan', '--json', ...args],
    {encoding: 'utf8'});
  return {status: result.status, stderr: result.stderr,
    output: result.stdout ? JSON.parse(result.stdout) : null};
}

describe('carbon-scheduler plan (the command)', function () {
  this.timeout(60_000);

  it('runs an interruptible job file in one piece with --no-interruptible',
    () => {
      const pausable = plan('--job', 'examples/jobs/fine-tune-h100.json',
        '--now', '2022-06-14T00:00:00Z');
      const whole = plan('--job', 'examples/jobs/fine-tune-h100.json',
        '--now', '2022-06-14T00:00:00Z', '--no-interruptible');
      assert.equal(pausable.status, 0, pausable.stderr);
      assert.equal(whole.status, 0, whole.stderr);
      assert.ok(pausable.output.segments.length > 1);
      assert.equal(whole.output.segments.length, 1);
    });

  it('refuses a --home that is not in the catalog, as --regions does',
    () => {
      const run = plan('--forecasts', `${FIXTURES}/c06`, '--regions',
        'europe-west4,us-central1', '--home', 'mars-1', '--duration', '2h',
        '--deadline', '2025-03-03T17:00:00Z', '--now',
        '2025-03-03T12:00:00Z');
      assert.equal(run.status, 2);
      assert.equal(run.output.error.field, '--home');
      assert.match(run.output.error.message, /"mars-1" is not a region/);
    });

  it('ranks windows, not points, after the residency filter (C06)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c06`, '--regions',
      'europe-west4,us-central1', '--residency', 'EU', '--duration', '2h',
      '--deadline', '2025-03-03T17:00:00Z', '--now', '2025-03-03T12:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.region, 'europe-west4');
    assert.equal(run.output.zone, 'NL');
    assert.equal(run.output.start, '2025-03-03T14:00:00Z');
    assert.equal(run.output.averageIntensity, 115);
    assert.deepEqual(run.output.excluded,
      [{region: 'us-central1', reason: 'residency', detail: 'us-central1 ' +
        '(US, groups US) is outside the required residency EU'}]);
    assert.deepEqual(run.output.signal, {provider:
      'electricitymaps-forecast-files', emissionFactorType: 'lifecycle'});
    assert.equal(run.output.counterfactual.start, '2025-03-03T12:00:00Z');
    assert.ok(Math.abs(run.output.savedPercent - (1 - 115 / 225) * 100) <
      1e-9);
  });

  it('keeps the cheap window at the horizon edge whole (C07)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c07`, '--regions',
      'europe-west4', '--duration', '3h', '--deadline',
      '2025-03-03T06:00:00Z', '--now', '2025-03-01T00:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.start, '2025-03-02T21:00:00Z');
    assert.equal(run.output.end, '2025-03-03T00:00:00Z');
    assert.equal(run.output.averageIntensity, 80);
  });

  it('plans only over the short forecast that exists (C05)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c05`, '--regions',
      'europe-west2', '--duration', '6h', '--deadline',
      '2025-11-11T18:00:00Z', '--now', '2025-11-10T08:13:00Z');
    assert.equal(run.status, 0, run.stderr);
    // the last of the 16 eligible starts; its window ends at coverage end
    assert.equal(run.output.start, '2025-11-10T16:30:00Z');
    assert.equal(run.output.end, '2025-11-10T22:30:00Z');
    assert.ok(Number.isFinite(run.output.averageIntensity));
  });

  it('skips the window over the gap (C11)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c11`, '--regions',
      'europe-west4', '--duration', '2h', '--deadline',
      '2025-06-02T05:00:00Z', '--now', '2025-06-02T00:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.start, '2025-06-02T03:00:00Z');
    assert.equal(run.output.averageIntensity, 175);
  });

  it('ranks both regions on one lifecycle basis (C13)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c13-lifecycle`,
      '--regions', 'europe-west2,europe-west1', '--duration', '1h',
      '--deadline', '2025-02-01T11:00:00Z', '--now', '2025-02-01T10:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.region, 'europe-west1');
    assert.equal(run.output.averageIntensity, 170);
  });

  it('excludes a direct-basis region rather than compare it (C13)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c13-mixed`,
      '--regions', 'europe-west2,europe-west1', '--duration', '1h',
      '--deadline', '2025-02-01T11:00:00Z', '--now', '2025-02-01T10:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.region, 'europe-west1');
    assert.deepEqual(run.output.excluded,
      [{region: 'europe-west2', reason: 'basis-mismatch',
        detail: 'its GB forecast is direct, not lifecycle'}]);
  });

  it('counts a 25 h window across the autumn clock change (C10)', () => {
    const run = plan('--forecasts', `${FIXTURES}/c10`, '--regions',
      'europe-west4', '--duration', '3h', '--now',
      '2025-10-25T06:00:00+02:00', '--deadline', '2025-10-26T06:00:00+01:00');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.start, '2025-10-26T02:00:00Z');
    assert.equal(run.output.end, '2025-10-26T05:00:00Z');
  });

  it('plans the example job on the replayed traces by default', () => {
    const run = plan('--job', 'examples/jobs/fine-tune-h100.json',
      '--regions', 'us-east4,europe-west4,europe-north1',
      '--now', '2022-06-14T00:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.output.signal.provider, 'replay:electricitymaps-2021-2022');
    assert.ok(run.output.segments.length >= 1);
    assert.ok(run.output.end <= '2022-06-16T00:00:00Z');
    assert.equal(run.output.counterfactual.region, 'us-east4');
    assert.ok(run.output.expectedEmissionsGrams <=
      run.output.counterfactual.expectedEmissionsGrams);
  });

  it('refuses a deadline before now, naming the field', () => {
    const run = plan('--forecasts', `${FIXTURES}/c06`, '--regions',
      'europe-west4', '--duration', '2h', '--deadline',
      '2025-03-03T11:00:00Z', '--now', '2025-03-03T12:00:00Z');
    assert.equal(run.status, 1);
    assert.equal(run.output.error.field, '--deadline');
    assert.match(run.stderr, /is not after now/);
  });

  it('refuses a window shorter than the job', () => {
    const run = plan('--forecasts', `${FIXTURES}/c06`, '--regions',
      'europe-west4', '--duration', '8h', '--deadline',
      '2025-03-03T17:00:00Z', '--now', '2025-03-03T12:00:00Z');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /--deadline: .* 5 h, shorter than .* 8 h/);
  });

  it('refuses a --now outside the data and states the coverage', () => {
    const replay = plan('--regions', 'europe-west4', '--duration', '2h',
      '--now', '2030-01-01T00:00:00Z', '--deadline', '2030-01-02T00:00:00Z');
    assert.equal(replay.status, 1);
    assert.equal(replay.output.error.field, '--now');
    assert.match(replay.stderr, /data covers 2022-01-01.* to 2023-01-01/);
    const files = plan('--forecasts', `${FIXTURES}/c06`, '--regions',
      'europe-west4', '--duration', '2h', '--now', '2025-03-04T00:00:00Z',
      '--deadline', '2025-03-05T00:00:00Z');
    assert.equal(files.status, 1);
    assert.match(files.stderr,
      /--now: .*data covers NL 2025-03-03T12:00:00Z to 2025-03-03T17:00:00Z/);
  });

  it('names a missing deadline and an unusable duration', () => {
    const noDeadline = plan('--regions', 'europe-west4', '--duration', '2h');
    assert.equal(noDeadline.status, 2);
    assert.equal(noDeadline.output.error.field, '--deadline');
    const badDuration = plan('--regions', 'europe-west4', '--duration',
      'eight', '--deadline', '2022-06-16T00:00:00Z');
    assert.equal(badDuration.status, 2);
    assert.equal(badDuration.output.error.field, '--duration');
  });

  it('prices the counterfactual at home when the home region is ' +
      'excluded (no A100 in europe-west3)', () => {
    const run = plan('--job', 'examples/jobs/eu-only.yaml', '--now',
      '2022-06-14T00:00:00Z');
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.output.excluded.some((entry: {region: string;
      reason: string}) => entry.region === 'europe-west3' &&
      entry.reason === 'accelerator-unavailable'));
    assert.equal(run.output.counterfactual.region, 'europe-west3');
    assert.equal(run.output.counterfactual.start, '2022-06-14T02:00:00Z');
    assert.ok(run.output.counterfactual.expectedEmissionsGrams > 0);
    assert.equal(run.output.counterfactual.unknownReason, null);
    assert.ok(Number.isFinite(run.output.savedPercent));
  });

  it('says why the counterfactual is unknown: no home region, or no ' +
      'signal at home', () => {
    const noHome = spawnSync(process.execPath, ['bin/carbon-scheduler.js',
      'plan', '--residency', 'EU', '--duration', '2h', '--deadline',
      '2022-06-15T10:00:00Z', '--now', '2022-06-14T00:00:00Z'],
    {encoding: 'utf8'});
    assert.equal(noHome.status, 0, noHome.stderr);
    assert.match(noHome.stdout,
      /^at once {2}unknown: no home region: pass --home/m);
    const noSignal = plan('--regions', 'europe-west4', '--home',
      'us-central1', '--duration', '2h', '--deadline',
      '2022-06-15T10:00:00Z', '--now', '2022-06-14T00:00:00Z');
    assert.equal(noSignal.status, 0, noSignal.stderr);
    assert.equal(noSignal.output.counterfactual.expectedEmissionsGrams, null);
    assert.match(noSignal.output.counterfactual.unknownReason,
      /^no forecast for us-central1: zone "US-MIDW-MISO" has no signal/);
  });

  it('says the deadline is before the earliest start', () => {
    const run = plan('--regions', 'europe-west4', '--duration', '2h',
      '--earliest', '2022-06-15T00:00Z', '--deadline', '2022-06-14T10:00Z',
      '--now', '2022-06-14T00:00:00Z');
    assert.equal(run.status, 1);
    assert.equal(run.output.error.field, '--deadline');
    assert.ok(run.stderr.includes('2022-06-14T10:00:00Z is before the ' +
      'earliest start (2022-06-15T00:00:00Z)'), run.stderr);
    assert.doesNotMatch(run.stderr, /-14 h/);
  });

  it('names the basis when no region has a forecast on it', () => {
    const run = plan('--regions', 'us-east4', '--duration', '2h',
      '--basis', 'direct', '--deadline', '2022-06-15T10:00:00Z', '--now',
      '2022-06-14T00:00:00Z');
    assert.equal(run.status, 1);
    assert.equal(run.output.error.field, '--basis');
    assert.ok(run.stderr.includes('no allowed region has a direct ' +
      'forecast: us-east4 (US-MIDA-PJM) lifecycle'), run.stderr);
  });

  it('says a --forecasts folder is missing or holds no zone files', () => {
    const missing = plan('--forecasts', '/nonexistent', '--regions',
      'europe-west4', '--duration', '2h', '--deadline',
      '2025-03-03T17:00:00Z', '--now', '2025-03-03T12:00:00Z');
    assert.equal(missing.status, 2);
    assert.equal(missing.output.error.field, '--forecasts');
    assert.match(missing.stderr, /"\/nonexistent" does not exist/);
    const empty = plan('--forecasts', FIXTURES, '--regions',
      'europe-west4', '--duration', '2h', '--deadline',
      '2025-03-03T17:00:00Z', '--now', '2025-03-03T12:00:00Z');
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /holds no <ZONE>\.json files/);
  });

  it('lists each excluded region with its reason when none is left', () => {
    const noSignal = plan('--regions', 'us-central1', '--duration', '2h',
      '--deadline', '2022-06-15T10:00:00Z', '--now', '2022-06-14T00:00:00Z');
    assert.equal(noSignal.status, 1);
    assert.ok(noSignal.stderr.includes('all 1 region(s) are excluded: ' +
      'us-central1 (no-signal-for-zone: zone "US-MIDW-MISO" has no signal'),
    noSignal.stderr);
    const onlyUs = plan('--regions', 'us-east4', '--residency', 'EU',
      '--duration', '2h', '--deadline', '2022-06-15T10:00:00Z', '--now',
      '2022-06-14T00:00:00Z');
    assert.equal(onlyUs.status, 1);
    assert.deepEqual(onlyUs.output.error.excluded, [{region: 'us-east4',
      reason: 'residency', detail: 'us-east4 (US, groups US) is outside ' +
        'the required residency EU'}]);
    assert.match(onlyUs.stderr, /are excluded: us-east4 \(residency: /);
  });

  it('says a zero duration must be greater than 0', () => {
    const run = plan('--regions', 'europe-west4', '--duration', '0h',
      '--deadline', '2022-06-15T10:00:00Z', '--now', '2022-06-14T00:00:00Z');
    assert.equal(run.status, 2);
    assert.equal(run.output.error.field, '--duration');
    assert.match(run.stderr, /--duration: must be greater than 0, got "0h"/);
  });

  it('refuses a job whose machine type does not carry its accelerators', () => {
    const run = plan('--job', 'test/fixtures/malformed/job-requests/' +
      'accelerator-count-not-carried.json', '--now', '2022-06-14T00:00:00Z');
    assert.equal(run.status, 2);
    assert.equal(run.output.error.field, '--job');
    assert.ok(run.stderr.includes('hardware.acceleratorCount a3-highgpu-1g ' +
      'carries 1 x NVIDIA_H100_80GB, not 2; use acceleratorCount 1 or ' +
      'a3-highgpu-2g for 2'), run.stderr);
  });
});
