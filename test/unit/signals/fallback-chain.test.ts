import assert from 'node:assert/strict';

import {SchedulerError} from '../../../shared/errors.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {compareBases} from '../../../shared/signals/basis-comparison.js';
import type {
  CarbonSignalProvider,
  IntensityReading,
} from '../../../shared/signals/carbon-signal-provider.js';
import {
  FallbackChain,
  NoProviderServedError,
} from '../../../shared/signals/fallback-chain.js';
import type {
  IntensityBasis,
  IntensitySeries,
} from '../../../shared/signals/intensity-series.js';
import {
  NoSignalForZoneError,
} from '../../../shared/signals/signal-errors.js';

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2022, 5, 1, 12);

// A small provider implementing the interface: a value per key, or an
// error to throw, and a record of the keys it was asked.
class TableProvider implements CarbonSignalProvider {
  readonly asked: string[] = [];

  constructor(
    readonly name: string,
    private readonly values: Record<string, number | null | Error>,
    private readonly basis: IntensityBasis = 'average-lifecycle',
  ) {}

  async latest(key: string): Promise<IntensityReading> {
    this.asked.push(key);
    const value = this.lookup(key);
    return {zone: key, startMs: START_MS, durationMs: HOUR_MS,
      gramsPerKilowattHour: value, basis: this.basis, kind: 'observed',
      source: this.name};
  }

  async history(key: string): Promise<IntensitySeries> {
    return this.series(key, 'observed');
  }

  async forecast(key: string): Promise<IntensitySeries> {
    return this.series(key, 'forecast');
  }

  private series(key: string, kind: 'observed' | 'forecast') {
    this.asked.push(key);
    const value = this.lookup(key);
    return {zone: key, basis: this.basis, kind, source: this.name,
      points: [{startMs: START_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: value}]};
  }

  private lookup(key: string): number | null {
    const value = this.values[key];
    if (value instanceof Error) throw value;
    if (value === undefined) throw new NoSignalForZoneError(key, this.name,
      Object.keys(this.values));
    return value;
  }
}

class RateLimitedError extends SchedulerError {
  constructor() {
    super('http-429', 'rate limited; retry after 30 s', {retryable: true});
  }
}

describe('FallbackChain', () => {
  it('serves from the first provider that has the zone', async () => {
    const first = new TableProvider('first', {DE: 400});
    const second = new TableProvider('second', {DE: 999});
    const chain = new FallbackChain([{provider: first}, {provider: second}]);

    const served = await chain.latestFor({zone: 'DE'});

    assert.equal(served.value.gramsPerKilowattHour, 400);
    assert.equal(served.provider, 'first');
    assert.equal(served.degraded, false);
    assert.deepEqual(second.asked, []);
  });

  it('falls to the next on no-signal, a typed HTTP error and an open ' +
    'circuit, saying why each was passed over', async () => {
    const logger = createMemoryLogger();
    const chain = new FallbackChain([
      {provider: new TableProvider('unknown-zone', {})},
      {provider: new TableProvider('limited', {DE: new RateLimitedError()})},
      {provider: new TableProvider('open', {DE: new SchedulerError(
        'circuit-open', 'circuit open for 60 s after 5 failures')})},
      {provider: new TableProvider('static', {DE: 413})},
    ], {logger});

    const served = await chain.latestFor({zone: 'DE'});

    assert.equal(served.provider, 'static');
    assert.equal(served.value.gramsPerKilowattHour, 413);
    assert.equal(served.degraded, true);
    assert.deepEqual(served.skipped.map((skip) => [skip.provider, skip.code]),
      [['unknown-zone', 'no-signal-for-zone'], ['limited', 'http-429'],
        ['open', 'circuit-open']]);
    assert.equal(served.skipped[1]!.retryable, true);
    assert.equal(logger.entries.filter((entry) =>
      entry.severity === 'WARNING').length, 3);
  });

  it('passes over a null reading as missing, never as 0', async () => {
    const chain = new FallbackChain([
      {provider: new TableProvider('gap', {DE: null})},
      {provider: new TableProvider('static', {DE: 413})},
    ]);

    const served = await chain.latestFor({zone: 'DE'});

    assert.equal(served.value.gramsPerKilowattHour, 413);
    assert.equal(served.skipped[0]!.code, 'missing-value');
  });

  it('asks a region-keyed link for the region id', async () => {
    const zoneKeyed = new TableProvider('zone-keyed', {});
    const regionKeyed = new TableProvider('region-keyed',
      {'europe-west3': 413});
    const chain = new FallbackChain([{provider: zoneKeyed},
      {provider: regionKeyed, keyBy: 'region'}]);

    const served = await chain.latestFor(
      {zone: 'DE', regionId: 'europe-west3'});

    assert.deepEqual(zoneKeyed.asked, ['DE']);
    assert.deepEqual(regionKeyed.asked, ['europe-west3']);
    assert.equal(served.provider, 'region-keyed');
  });

  it('skips a zone-keyed link for a target without a zone', async () => {
    const chain = new FallbackChain([
      {provider: new TableProvider('zone-keyed', {})},
      {provider: new TableProvider('static', {'europe-west5': 275}),
        keyBy: 'region'},
    ]);

    const served = await chain.latestFor(
      {zone: null, regionId: 'europe-west5'});

    assert.equal(served.skipped[0]!.code, 'no-key');
    assert.equal(served.provider, 'static');
  });

  it('throws with every provider\'s reason when none serves', async () => {
    const chain = new FallbackChain([
      {provider: new TableProvider('a', {})},
      {provider: new TableProvider('b', {DE: new RateLimitedError()})},
    ]);

    const failure = await chain.latestFor({zone: 'DE'}).then(
      () => assert.fail('expected a failure'), (error: unknown) => error);

    assert.ok(failure instanceof NoProviderServedError);
    assert.equal(failure.skipped.length, 2);
    assert.equal(failure.retryable, true);
    assert.match(failure.message, /a \(no-signal-for-zone/);
    assert.match(failure.message, /b \(http-429/);
  });

  it('throws an untyped error (a bug) at once', async () => {
    const chain = new FallbackChain([
      {provider: new TableProvider('buggy', {DE: new TypeError('bug')})},
      {provider: new TableProvider('static', {DE: 413})},
    ]);

    await assert.rejects(chain.latestFor({zone: 'DE'}), TypeError);
  });

  it('passes over a value on another basis when one is required',
    async () => {
      const chain = new FallbackChain([
        {provider: new TableProvider('uk', {GB: 150}, 'average-direct')},
        {provider: new TableProvider('em', {GB: 230})},
      ], {requiredBasis: 'average-lifecycle'});

      const served = await chain.latestFor({zone: 'GB'});

      assert.equal(served.value.gramsPerKilowattHour, 230);
      assert.equal(served.basis, 'average-lifecycle');
      assert.equal(served.skipped[0]!.code, 'basis-mismatch');
    });

  it('falls through for forecasts and history as well', async () => {
    const chain = new FallbackChain([
      {provider: new TableProvider('gap', {DE: null})},
      {provider: new TableProvider('static', {DE: 413})},
    ]);

    const forecast = await chain.forecastFor({zone: 'DE'});
    const history = await chain.historyFor({zone: 'DE'}, 0, START_MS);

    assert.equal(forecast.provider, 'static');
    assert.equal(forecast.value.kind, 'forecast');
    assert.equal(history.provider, 'static');
  });

  it('refuses to be built with no provider', () => {
    assert.throws(() => new FallbackChain([]), /at least one provider/);
  });
});

describe('compareBases (case C13)', () => {
  it('flags a UK direct value beside Electricity Maps lifecycle values',
    async () => {
      // C13: GB only from the UK API (150, direct); BE from EM (170,
      // lifecycle). Ranking them together would pick GB wrongly.
      const ukChain = new FallbackChain([
        {provider: new TableProvider('em', {BE: 170})},
        {provider: new TableProvider('uk', {GB: 150}, 'average-direct')},
      ]);
      const belgium = await ukChain.latestFor({zone: 'BE'});
      const britain = await ukChain.latestFor({zone: 'GB'});

      const comparison = compareBases([belgium, britain].map((served) =>
        ({basis: served.value.basis})));

      assert.equal(comparison.basisMismatch, true);
      assert.deepEqual(comparison.bases,
        ['average-lifecycle', 'average-direct']);
    });

  it('ranks on the most common basis and finds no mismatch on one',
    () => {
      const comparison = compareBases([
        {basis: 'average-lifecycle'}, {basis: 'marginal'},
        {basis: 'average-lifecycle'},
      ]);
      const single = compareBases([{basis: 'marginal'}]);

      assert.equal(comparison.referenceBasis, 'average-lifecycle');
      assert.equal(comparison.countByBasis.marginal, 1);
      assert.equal(single.basisMismatch, false);
      assert.equal(compareBases([]).referenceBasis, null);
    });
});
