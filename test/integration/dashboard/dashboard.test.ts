import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdir, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {startDashboardServer, type DashboardServer} from
  '../../../adapters/dashboard/dashboard-server.js';
import {createLocalDashboardData} from
  '../../../adapters/dashboard/local-dashboard-data.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import type {LedgerRow} from '../../../shared/ledger/schema.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {openLoopbackPage, type LoopbackPage} from
  '../../support/headless-browser.js';

// A number no computation produces, so finding it on the page proves the
// page drew this row.
const PROBE_JOB = 'dashboard-probe-job';
const PROBE_TOTAL_KG = 4.321987654;
const ARTIFACTS = path.resolve('test-artifacts');

/** Writes one finished segment of a made-up job, from a real row. */
async function insertProbeRow(runDirectory: string): Promise<void> {
  const folder = path.join(runDirectory, 'ledger', 'footprints');
  const rows: Record<string, unknown>[] = [];
  for (const file of await readdir(folder)) {
    if (file.startsWith('.')) continue;
    const text = await readFile(path.join(folder, file), 'utf8');
    rows.push(...text.trim().split('\n').map((line) => JSON.parse(line)));
  }
  const template = rows.find((row) => row.footprint_kind === 'actual');
  assert.ok(template, 'the demo wrote an actual footprint row');
  const ledger = new FileLedger({
    ledgerDirectory: path.join(runDirectory, 'ledger'),
  });
  await ledger.append('footprints', [{
    ...(template as LedgerRow<'footprints'>),
    insert_id: `${PROBE_JOB}:actual:0`,
    job_id: PROBE_JOB,
    segment_index: 0,
    carbon_footprint_scope2_location_based_kgco2e: 4,
    carbon_footprint_scope3_kgco2e: 0.321987654,
    carbon_footprint_total_location_based_kgco2e: PROBE_TOTAL_KG,
  }]);
}

describe('the dashboard in headless Chromium', function () {
  this.timeout(240_000);
  let directory: string;
  let demo: DemoResult;
  let server: DashboardServer;
  let browser: LoopbackPage;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'dashboard-'));
    demo = await runDemo({
      jobFile: 'examples/jobs/fine-tune-h100.json',
      nowMs: Date.parse(DEFAULT_DEMO_NOW),
      speed: 0,
      oracle: false,
      json: true,
      runDirectory: path.join(directory, 'run'),
      projectId: `dashboard-${randomUUID().slice(0, 8)}`,
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
    });
    assert.equal(demo.status, 'completed', demo.error);
    await insertProbeRow(demo.runDirectory);

    server = await startDashboardServer({
      data: createLocalDashboardData({
        runDirectory: demo.runDirectory,
        atMs: Date.parse('2022-06-01T12:00:00Z'),
      }),
    });
    browser = await openLoopbackPage();
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => document.body.dataset.ready,
      undefined, {timeout: 120_000});
  });

  after(async () => {
    if (browser) {
      await mkdir(ARTIFACTS, {recursive: true});
      await browser.page.screenshot({
        path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true,
      }).catch(() => {});
      await browser.browser.close();
    }
    await server?.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('loads with no script error and no request off 127.0.0.1', async () => {
    assert.equal(await browser.page.evaluate(
      () => document.body.dataset.ready), 'true');
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.externalRequests, []);
  });

  it('ranks every catalog region and maps those with data', async () => {
    const drawn = await browser.page.evaluate(() => {
      const {charts, state} = (window as unknown as {dashboard: {
        charts: Record<string, {getOption(): {series: {data: unknown[]}[]}}>;
        state: {regions: {carbonIntensity: number | null}[]};
      }}).dashboard;
      return {
        regions: state.regions.length,
        withData: state.regions.filter((r) => r.carbonIntensity !== null)
          .length,
        ranked: charts['region-ranking']!.getOption().series[0]!.data.length,
        mapped: charts['world-map']!.getOption().series[0]!.data.length,
      };
    });
    assert.ok(drawn.regions >= 40, `${drawn.regions} regions`);
    assert.equal(drawn.ranked, drawn.withData);
    assert.ok(drawn.mapped >= 25 && drawn.mapped <= drawn.withData,
      `${drawn.mapped} mapped`);
    assert.match(await browser.page.textContent('#regions-without-data') ??
      '', /no-intensity-source/);
  });

  it('shows the exact ledger number of a job after clicking it', async () => {
    await browser.page.click(`#jobs tbody tr[data-job-id="${PROBE_JOB}"]`);
    await browser.page.waitForSelector(
      `#job-detail[data-job-id="${PROBE_JOB}"]`);
    const text = await browser.page.textContent('#job-detail');
    assert.match(text ?? '', new RegExp(`emitted${PROBE_TOTAL_KG} kgCO2e`));
  });

  it('draws the demo job\'s forecast, planned window and segments',
    async () => {
      await browser.page.click(
        `#jobs tbody tr[data-job-id="${demo.jobId}"]`);
      await browser.page.waitForSelector(
        `#job-detail[data-job-id="${demo.jobId}"]`);
      const timeline = await browser.page.evaluate(() => {
        const chart = (window as unknown as {dashboard: {charts: Record<
          string, {getOption(): {series: {data: unknown[];
            markArea?: {data: unknown[]}}[]}}>}}).dashboard
          .charts['job-timeline']!;
        const series = chart.getOption().series;
        return {
          forecastPoints: series[0]!.data.length,
          planned: series[1]!.markArea?.data.length ?? 0,
          ran: series[2]!.markArea?.data.length ?? 0,
          paused: series[3]!.markArea?.data.length ?? 0,
        };
      });
      assert.ok(timeline.forecastPoints >= 24, JSON.stringify(timeline));
      assert.ok(timeline.planned >= 1);
      assert.equal(timeline.ran, demo.pauses + 1);
      assert.equal(timeline.paused, demo.pauses);
    });

  it('shows a region\'s intensity and mix after a click on the map',
    async () => {
      const target = await browser.page.evaluate(() => {
        const {charts, state} = (window as unknown as {dashboard: {
          charts: Record<string, {convertToPixel(
            finder: object, value: number[]): number[]}>;
          state: {regions: {region: string; carbonIntensity: number | null;
            latitude: number | null; longitude: number | null}[]};
        }}).dashboard;
        const region = state.regions.find((r) => r.region === 'europe-west4')!;
        const [x, y] = charts['world-map']!.convertToPixel({seriesIndex: 0},
          [region.longitude!, region.latitude!]);
        return {x, y, intensity: region.carbonIntensity};
      });
      const box = await browser.page.locator('#world-map').boundingBox();
      await browser.page.mouse.click(box!.x + target.x!, box!.y + target.y!);
      await browser.page.waitForSelector(
        '#region-detail[data-region="europe-west4"]', {timeout: 10_000});
      const text = await browser.page.textContent('#region-detail');
      assert.match(text ?? '',
        new RegExp(`carbon intensity${target.intensity} gCO2e/kWh`));
      assert.match(text ?? '', /renewable\d/);
    });
});
