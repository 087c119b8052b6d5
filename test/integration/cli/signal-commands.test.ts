import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';

import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {dataFilePath} from '../../../shared/data/data-paths.js';
import {runCommand} from './run-command.js';

// The LCA value of one hour, read straight from the shipped CSV.
function recordedLifecycleValue(file: string, datetime: string): number {
  const lines = readFileSync(
    dataFilePath('traces', 'electricitymaps_hourly', file), 'utf8')
    .split(/\r?\n/);
  const header = lines[0]!.split(',');
  const column = header.findIndex((name) => name.endsWith('(LCA)'));
  const row = lines.find((line) => line.startsWith(`${datetime},`));
  assert.ok(row, `${file} has no row ${datetime}`);
  return Number(row.split(',')[column]);
}

function withoutToken<T>(body: () => Promise<T>): Promise<T> {
  const token = process.env.ELECTRICITY_MAPS_TOKEN;
  delete process.env.ELECTRICITY_MAPS_TOKEN;
  return body().finally(() => {
    if (token !== undefined) process.env.ELECTRICITY_MAPS_TOKEN = token;
  });
}

describe('carbon-scheduler intensity', function () {
  this.timeout(60_000);

  it('gives exactly the DE 2022 trace\'s lifecycle value for the hour',
    async () => {
      const run = await runCommand(['intensity', '--zone', 'DE', '--at',
        '2022-01-10T03:00:00Z', '--provider', 'replay', '--json']);
      const printed = JSON.parse(run.stdout);

      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(printed.carbonIntensity, recordedLifecycleValue(
        'DE_2022_hourly.csv', '2022-01-10 03:00:00'));
      assert.equal(printed.zone, 'DE');
      assert.equal(printed.datetime, '2022-01-10T03:00:00.000Z');
      assert.equal(printed.basis, 'average-lifecycle');
      assert.match(printed.provider, /^replay:/);
      assert.equal(printed.isEstimated, false);
      assert.equal(printed.degraded, false);
    });

  it('replays by default without a token, picking the 2021 hour too',
    () => withoutToken(async () => {
      const run = await runCommand(['intensity', '--region', 'europe-west2',
        '--at', '2021-03-01T18:30:00Z', '--json']);
      const printed = JSON.parse(run.stdout);

      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(printed.region, 'europe-west2');
      assert.equal(printed.zone, 'GB');
      assert.equal(printed.carbonIntensity, recordedLifecycleValue(
        'GB_2021_hourly.csv', '2021-03-01 18:00:00'));
    }));

  it('maps a location to the nearest catalog region and says so',
    async () => {
      const run = await runCommand(['intensity', '--lat', '50.11', '--lon',
        '8.68', '--at', '2022-06-01T12:00:00Z', '--json']);
      const printed = JSON.parse(run.stdout);

      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(printed.location.nearestRegion, 'europe-west3');
      assert.equal(printed.zone, 'DE');
      assert.ok(printed.notes.some((note: string) =>
        /nearest catalog region/.test(note)));
    });

  it('falls to the static figure outside the traces, visibly', async () => {
    const run = await runCommand(['intensity', '--zone', 'DE', '--at',
      '2024-06-01T12:00:00Z', '--provider', 'replay', '--json']);
    const printed = JSON.parse(run.stdout);

    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(printed.provider, 'static:google-region-carbon-info');
    assert.equal(printed.degraded, true);
    assert.equal(printed.skipped[0].code, 'no-signal-data');
    assert.ok(printed.notes.some((note: string) => /pass --at/.test(note)));
  });

  it('exits 2 naming the field for a --at without offset', async () => {
    const run = await runCommand(['intensity', '--zone', 'DE', '--at',
      '2022-01-10 03:00']);

    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--at: "2022-01-10 03:00" is not an RFC 3339/);
  });

  it('exits 2 when no target or two targets are given', async () => {
    const none = await runCommand(['intensity']);
    const two = await runCommand(['intensity', '--zone', 'DE',
      '--region', 'europe-west3']);

    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /exactly one of --region/);
    assert.equal(two.exitCode, 2);
  });

  it('exits 1 with every provider\'s reason when none has data',
    async () => {
      const run = await runCommand(['intensity', '--region', 'me-central1',
        '--at', '2022-06-01T12:00:00Z']);

      assert.equal(run.exitCode, 1);
      assert.match(run.stderr, /no provider could give/);
      assert.match(run.stderr, /static:google-region-carbon-info/);
    });

  it('prints help that names every option', async () => {
    const run = await runCommand(['intensity', '--help']);

    assert.equal(run.exitCode, 0);
    for (const option of ['--region', '--zone', '--lat', '--lon', '--at',
      '--provider', '--fallback', '--json']) {
      assert.ok(run.stdout.includes(option), option);
    }
  });
});

describe('carbon-scheduler forecast', function () {
  this.timeout(60_000);

  it('gives the honest replay forecast from the hour asked', async () => {
    const run = await runCommand(['forecast', '--region', 'europe-west3',
      '--hours', '24', '--at', '2022-06-01T12:00:00Z', '--json']);
    const printed = JSON.parse(run.stdout);

    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(printed.forecaster, 'honest');
    assert.equal(printed.kind, 'forecast');
    assert.equal(printed.points.length, 24);
    assert.equal(printed.points[0].datetime, '2022-06-01T12:00:00.000Z');
    assert.ok(printed.points.every((point: {carbonIntensity: number}) =>
      point.carbonIntensity > 0));
  });

  it('differs from the recorded future, which --oracle shows', async () => {
    const at = ['--region', 'europe-west3', '--hours', '12', '--at',
      '2022-06-01T12:00:00Z', '--json'];
    const honest = JSON.parse((await runCommand(['forecast', ...at])).stdout);
    const oracle = JSON.parse(
      (await runCommand(['forecast', ...at, '--oracle'])).stdout);
    const recorded = recordedLifecycleValue('DE_2022_hourly.csv',
      '2022-06-01 15:00:00');

    assert.equal(oracle.forecaster, 'oracle');
    assert.equal(oracle.points[3].carbonIntensity, recorded);
    assert.notEqual(honest.points[3].carbonIntensity, recorded);
  });

  it('exits 2 for --hours that is not a whole positive number', async () => {
    const run = await runCommand(['forecast', '--region', 'europe-west3',
      '--hours', '0']);

    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--hours: "0"/);
  });
});

describe('carbon-scheduler regions', function () {
  this.timeout(120_000);
  const catalog = loadRegionCatalog();

  it('lists every region at 2022-06-01T12:00Z, none at 0 g, ranked',
    async () => {
      const run = await runCommand(['regions', '--rank', '--at',
        '2022-06-01T12:00:00Z', '--json']);
      const printed = JSON.parse(run.stdout);
      const listed = [...printed.regions, ...printed.otherBasis,
        ...printed.withoutData].map((row: {region: string}) => row.region);
      const values = printed.regions.map(
        (row: {carbonIntensity: number}) => row.carbonIntensity);

      assert.equal(run.exitCode, 0, run.stderr);
      assert.ok(listed.length >= 40, `${listed.length} listed`);
      assert.deepEqual([...listed].sort(),
        catalog.regions.map((region) => region.id));
      assert.ok(printed.regions.length >= 35, `${printed.regions.length}`);
      assert.ok(values.every((value: number) => value > 0));
      assert.deepEqual(values, [...values].sort((a, b) => a - b));
      assert.equal(printed.regions[0].rank, 1);
      assert.equal(printed.basisMismatch, false);
    });

  it('gives each ranked region its basis, provider and CFE share',
    async () => {
      const printed = JSON.parse((await runCommand(['regions', '--at',
        '2022-06-01T12:00:00Z', '--json'])).stdout);
      const belgium = printed.regions.find(
        (row: {region: string}) => row.region === 'europe-west1');
      const published = catalog.require('europe-west1').googleYearly
        .find((figures) => figures.year === 2022)!;

      assert.equal(belgium.zone, 'BE');
      assert.equal(belgium.basis, 'average-lifecycle');
      assert.match(belgium.provider, /^replay:/);
      assert.equal(belgium.carbonFreeEnergyPercent,
        published.carbonFreeEnergyFraction! * 100);
      assert.equal(typeof belgium.mix.lowCarbonPercent, 'number');
    });

  it('lists regions without a source with the reason (case C33)',
    async () => {
      const printed = JSON.parse((await runCommand(['regions', '--at',
        '2022-06-01T12:00:00Z', '--json'])).stdout);
      const reasons = new Map(printed.withoutData.map(
        (row: {region: string; reason: string}) => [row.region, row.reason]));

      assert.equal(reasons.get('europe-west5'), 'no-intensity-source');
      assert.equal(reasons.get('northamerica-south1'), 'no-data-at-instant');
      assert.ok(!printed.regions.some((row: {region: string}) =>
        row.region === 'northamerica-south1'));
    });

  it('filters by residency and accelerator', async () => {
    const printed = JSON.parse((await runCommand(['regions', '--rank',
      '--residency', 'EU', '--accelerator', 'NVIDIA_H100_80GB', '--at',
      '2022-06-01T12:00:00Z', '--json'])).stdout);
    const expected = catalog.regions.filter((region) =>
      region.residencyGroups.includes('EU') &&
      region.accelerators.includes('NVIDIA_H100_80GB'));
    const listed = [...printed.regions, ...printed.withoutData]
      .map((row: {region: string}) => row.region).sort();

    assert.ok(expected.length > 0);
    assert.deepEqual(listed, expected.map((region) => region.id));
  });

  it('prints a table and says what to pass outside the traces',
    async () => {
      const run = await runCommand(['regions', '--rank', '--at',
        '2024-06-01T12:00:00Z']);

      assert.equal(run.exitCode, 0, run.stderr);
      assert.match(run.stdout, /^rank\s+region\s+zone/m);
      assert.match(run.stdout, /pass --at with an instant in those years/);
    });

  it('exits 2 for an unknown accelerator, listing the known ones',
    async () => {
      const run = await runCommand(['regions', '--accelerator', 'H100']);

      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /--accelerator: "H100".*NVIDIA_H100_80GB/);
    });

  it('refuses an accelerator exactly when the job schema does, listing ' +
      'the same types', async () => {
    const {ACCELERATOR_TYPES} = await import(
      '../../../shared/schemas/job-request.js');
    const run = await runCommand(['regions', '--accelerator',
      'NVIDIA_H200_141GB']);

    assert.equal(run.exitCode, 2);
    assert.ok(run.stderr.includes(`use one of ${ACCELERATOR_TYPES
      .join(', ')}`), run.stderr);
    const l4 = await runCommand(['regions', '--accelerator', 'NVIDIA_L4',
      '--at', '2022-06-01T12:00:00Z', '--json']);
    assert.equal(l4.exitCode, 0, l4.stderr);
  });
});
