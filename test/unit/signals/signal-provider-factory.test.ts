import assert from 'node:assert/strict';

import {fixedClock} from '../../../adapters/signals-wiring/fixed-clock.js';
import {
  defaultProviderName,
  parseProviderList,
  UnknownProviderError,
} from '../../../adapters/signals-wiring/provider-names.js';
import {
  createProviderChain,
  createSignalProvider,
  ProviderUnavailableError,
} from '../../../adapters/signals-wiring/signal-provider-factory.js';

const context = {
  clock: fixedClock(Date.UTC(2022, 0, 10, 3)),
  environment: {},
};

describe('signal provider wiring', () => {
  it('replays offline and uses Electricity Maps when a token is set', () => {
    assert.equal(defaultProviderName({}), 'replay');
    assert.equal(defaultProviderName({ELECTRICITY_MAPS_TOKEN: 'x'}),
      'electricitymaps');
    assert.equal(defaultProviderName({ELECTRICITY_MAPS_TOKEN: ' '}),
      'replay');
  });

  it('reads a fallback list and refuses an unknown name', () => {
    assert.deepEqual(parseProviderList('--fallback', 'watttime,static'),
      ['watttime', 'static']);
    assert.deepEqual(parseProviderList('--fallback', 'none'), []);
    assert.throws(() => parseProviderList('--fallback', 'static,foo'),
      UnknownProviderError);
  });

  it('fails clearly when an HTTP provider\'s module is missing',
    async () => {
      const failure = await createSignalProvider('watttime', {...context,
        httpModules: {watttime: {modulePath: './no-such-provider.js',
          exportName: 'createWattTimeProvider'}}})
        .then(() => assert.fail('expected a failure'),
          (error: unknown) => error);

      assert.ok(failure instanceof ProviderUnavailableError);
      assert.match(failure.message,
        /--provider watttime: its module .*no-such-provider\.js is not in/);
      assert.match(failure.message, /use --provider replay/);
    });

  it('fails clearly when the module lacks the factory', async () => {
    await assert.rejects(createSignalProvider('uk', {...context,
      httpModules: {uk: {modulePath: './fixed-clock.js',
        exportName: 'createUkCarbonIntensityProvider'}}}),
    /does not export a function createUkCarbonIntensityProvider/);
  });

  it('chains replay then static, asking static per region', async () => {
    const chain = await createProviderChain(['replay', 'static'], context);

    assert.deepEqual(chain.links.map((link) => link.keyBy),
      ['zone', 'region']);
    const served = await chain.latestFor(
      {zone: 'DE', regionId: 'europe-west3'});
    assert.match(served.provider, /^replay:/);
  });
});
