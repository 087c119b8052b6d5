import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {ensureTopology} from '../../../adapters/pubsub/topology.js';
import {
  createIntensityPolls,
  forecastCacheKey,
  routeFetchForecasts,
} from '../../../functions/fetch-forecasts/intensity-polls.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {readJson} from '../../../shared/ports/blob-store.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {IntensitySeries} from
  '../../../shared/signals/intensity-series.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';
import {useEmulator} from '../../support/emulator.js';

const NOW_MS = Date.parse('2022-06-14T06:00:00Z');

describe('the scheduled intensity poll (Pub/Sub emulator)', function () {
  this.timeout(90_000);
  const {pubsub} = useEmulator('polls');
  let directory: string;
  let blobs: DirectoryBlobStore;
  let ledger: FileLedger;
  const host = new FunctionHost(() => {});
  const planRequests: string[] = [];
  let polls = 0;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'polls-'));
    blobs = new DirectoryBlobStore(path.join(directory, 'blobs'));
    ledger = new FileLedger({ledgerDirectory: path.join(directory, 'ledger')});
    const clock = {nowMs: () => NOW_MS, sleepUntil: async () => {}};
    const poll = createIntensityPolls({
      catalog: loadRegionCatalog(),
      signals: new ReplayProvider({clock}),
      ledger,
      blobs,
      clock,
      logger: createMemoryLogger(),
    });
    const handler = routeFetchForecasts(
      async (event: CloudEvent<MessagePublishedData>) => {
        planRequests.push(event.id);
      },
      async (event) => {
        await poll(event);
        polls++;
      });
    const hosted = await host.serve('fetch-forecasts', 'pollFetchForecasts',
      handler);
    await ensureTopology(pubsub(), {'fetch-forecasts': hosted.baseUrl});
  });

  after(async () => {
    await host.close();
    await rm(directory, {recursive: true, force: true});
  });

  async function pollOnce(): Promise<void> {
    const before = polls;
    await pubsub().topic('intensity-polls')
      .publishMessage({data: Buffer.from('{}')});
    const deadline = Date.now() + 30_000;
    while (polls === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(polls, before + 1);
  }

  it('caches a forecast per catalog zone and records samples once, ' +
    'however often it is delivered', async () => {
    await pollOnce();
    assert.deepEqual(planRequests, []);

    const zones = [...new Set(loadRegionCatalog().regions
      .map((region) => region.electricityMapsZone)
      .filter((zone): zone is string => zone !== null))];
    const cached = await blobs.list('forecast-cache/');
    assert.ok(cached.length > 0, 'no forecast cached');
    assert.ok(cached.length <= zones.length);
    const forecast = await readJson<IntensitySeries>(blobs,
      forecastCacheKey('NL'));
    assert.equal(forecast?.kind, 'forecast');
    assert.ok((forecast?.points.length ?? 0) > 0);

    const count = async () => (await ledger.query(
      'SELECT count(DISTINCT insert_id) AS n, count(*) AS rows ' +
        'FROM intensity_samples'))[0] as {n: number; rows: number};
    const first = await count();
    assert.ok(first.n > 0);
    assert.equal(first.rows, first.n);

    // A redelivered poll repeats the same insert ids: nothing new.
    await pollOnce();
    const second = await count();
    assert.equal(second.n, first.n);
    assert.equal(second.rows, 2 * first.rows);
  });
});
