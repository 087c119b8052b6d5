import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';

import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {fetchBundle} from '../../../functions/fetch-forecasts/handler.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import type {Severity, Logger} from '../../../shared/ports/logger.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';

const T0 = Date.parse('2022-06-14T00:00:00Z');

// Keeps what was logged, to see the warning.
class RecordingLogger implements Logger {
  readonly lines: {severity: Severity; message: string}[] = [];
  log(severity: Severity, message: string): void {
    this.lines.push({severity, message});
  }
}

async function bundleFor(homeRegion: string, allowed: string[]) {
  const example = JSON.parse(await readFile(
    'examples/jobs/fine-tune-h100.json', 'utf8'));
  const job = jobRequestSchema.parse({...example, homeRegion,
    constraints: {...example.constraints, regions: allowed}});
  const clock = new VirtualClock(T0);
  const logger = new RecordingLogger();
  const bundle = await fetchBundle({catalog: loadRegionCatalog(),
    signals: new ReplayProvider({clock, forecaster: 'honest'}), clock,
    logger, settings: {pollSeconds: 1800, checkpointOverheadMs: 120_000,
      gpuUtilisationFraction: 0.9}},
  job, {jobId: 'job-home', requestId: 'job-home:plan:1'} as never);
  return {bundle, logger};
}

describe('fetch-forecasts and the home region', () => {
  it('fetches home\'s forecast for the counterfactual when the allow-list ' +
    'leaves home out', async () => {
    const {bundle} = await bundleFor('us-east4',
      ['us-south1', 'us-west2', 'europe-west4']);
    assert.ok(bundle.regions.length > 0);
    assert.ok(bundle.regions.every((r) => r.regionId !== 'us-east4'));
    assert.equal(bundle.home?.regionId, 'us-east4');
    assert.equal(bundle.home?.zone, 'US-MIDA-PJM');
    assert.ok(bundle.home!.series.points.length > 0);
    assert.ok(bundle.excluded.some((e) => e.regionId === 'us-east4'));
  });

  it('warns and leaves the counterfactual to be unknown when home has ' +
    'no carbon zone', async () => {
    const {bundle, logger} = await bundleFor('us-east7', ['us-south1']);
    assert.equal(bundle.home, undefined);
    assert.ok(logger.lines.some((line) => line.severity === 'WARNING' &&
      /home region has no carbon zone/.test(line.message)));
  });

  it('adds no separate home forecast when home is planned on', async () => {
    const {bundle} = await bundleFor('us-east4', ['us-east4', 'us-south1']);
    assert.ok(bundle.regions.some((r) => r.regionId === 'us-east4'));
    assert.equal(bundle.home, undefined);
  });
});
