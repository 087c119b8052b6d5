import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {FileQuotaChecker} from
  '../../../adapters/local/file-quota-checker.js';
import {CloudQuotasChecker, type QuotaInfo} from
  '../../../adapters/quotas/cloud-quotas-checker.js';
import {filterRegionsByQuota} from '../../../shared/quotas/quota-filter.js';
import {trainingQuotaMetric} from '../../../shared/quotas/quota-metrics.js';

const NEED = {acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 8};

function quotaFile(contents: unknown): {file: string; cleanup: () => void} {
  const folder = mkdtempSync(path.join(tmpdir(), 'quotas-'));
  const file = path.join(folder, 'quotas.json');
  writeFileSync(file, JSON.stringify(contents));
  return {file, cleanup: () => rmSync(folder, {recursive: true})};
}

describe('filterRegionsByQuota over a quota file', () => {
  it('excludes a region whose limit is below the need, with why', async () => {
    const {file, cleanup} = quotaFile({
      'us-east4': {NVIDIA_H100_80GB: 0},
      'europe-west4': {NVIDIA_H100_80GB: 4},
      '*': {NVIDIA_H100_80GB: 8},
    });
    try {
      const result = await filterRegionsByQuota(
        ['us-east4', 'europe-west4', 'us-central1'], NEED,
        new FileQuotaChecker(file));
      assert.deepEqual(result.kept, ['us-central1']);
      assert.deepEqual(result.excluded.map((e) => e.region),
        ['us-east4', 'europe-west4']);
      assert.match(result.excluded[0]!.reason,
        /^no GPU quota: 8 x NVIDIA_H100_80GB needed, the project's limit in us-east4 is 0/);
    } finally {
      cleanup();
    }
  });

  it('keeps a region whose limit is unknown and says so', async () => {
    const {file, cleanup} = quotaFile({'us-east4': {NVIDIA_L4: 8}});
    try {
      const result = await filterRegionsByQuota(['us-east4'], NEED,
        new FileQuotaChecker(file));
      assert.deepEqual(result.kept, ['us-east4']);
      assert.deepEqual(result.excluded, []);
      assert.match(result.unknown[0]!.reason, /names no limit/);
    } finally {
      cleanup();
    }
  });

  it('refuses a quota file with a negative limit, naming the entry', () => {
    const {file, cleanup} = quotaFile({'us-east4': {NVIDIA_H100_80GB: -1}});
    try {
      assert.throws(() => new FileQuotaChecker(file),
        /us-east4\.NVIDIA_H100_80GB: .*whole number/);
    } finally {
      cleanup();
    }
  });
});

describe('CloudQuotasChecker (Cloud Quotas client stand-in)', () => {
  const metric = trainingQuotaMetric('NVIDIA_H100_80GB')!;
  const infos: QuotaInfo[] = [{
    metric,
    quotaId: 'CustomModelTrainingNvidiaH100GpusPerProjectPerRegion',
    dimensionsInfos: [
      {dimensions: {region: 'us-east4'}, details: {value: '0'},
        applicableLocations: ['us-east4']},
      {dimensions: {}, details: {value: 16}, applicableLocations: []},
    ],
  }];
  let listings = 0;
  const client = {
    async *listQuotaInfosAsync(request: {parent: string}) {
      listings += 1;
      assert.equal(request.parent, 'projects/p1/locations/global/' +
        'services/aiplatform.googleapis.com');
      yield* infos;
    },
  };

  it('reads the region entry, else the default, listing once', async () => {
    const checker = new CloudQuotasChecker({projectId: 'p1',
      clock: {nowMs: () => 0, sleepUntil: async () => {}}, client});
    const [east, west] = await Promise.all([
      checker.acceleratorQuota('us-east4', 'NVIDIA_H100_80GB'),
      checker.acceleratorQuota('europe-west4', 'NVIDIA_H100_80GB'),
    ]);
    assert.equal(east.limit, 0);
    assert.equal(west.limit, 16);
    assert.match(east.source, /CustomModelTrainingNvidiaH100Gpus/);
    assert.equal(listings, 1);
  });

  it('gives an unknown limit for a metric the project lacks', async () => {
    const checker = new CloudQuotasChecker({projectId: 'p1',
      clock: {nowMs: () => 0, sleepUntil: async () => {}}, client});
    const l4 = await checker.acceleratorQuota('us-east4', 'NVIDIA_L4');
    assert.equal(l4.limit, null);
  });
});
