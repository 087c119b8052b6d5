import assert from 'node:assert/strict';

import {decideAccess} from '../../../shared/signals/provider-access.js';
import type {ProviderAccess} from '../../../shared/signals/provider-access.js';

const known: ProviderAccess = {status: 'known', provider: 'p',
  checkedAtMs: 0, signalsByZone: {BE: ['latest', 'history']},
  uncheckedKeys: ['50.85,4.35']};

describe('provider access decisions', () => {
  it('reads a listed zone for a listed signal', () => {
    assert.equal(decideAccess(known, 'BE', 'latest').verdict, 'readable');
  });

  it('puts an unlisted zone or signal outside, saying why', () => {
    const zone = decideAccess(known, 'FR', 'latest');
    const signal = decideAccess(known, 'BE', 'forecast');

    assert.equal(zone.verdict, 'outside');
    assert.match('reason' in zone ? zone.reason : '', /\(BE\), not FR/);
    assert.equal(signal.verdict, 'outside');
    assert.match('reason' in signal ? signal.reason : '',
      /latest, history in BE, not forecast/);
  });

  it('leaves unchecked keys and unknown access to be tried', () => {
    assert.equal(decideAccess(known, '50.85,4.35', 'latest').verdict,
      'unknown');
    assert.equal(decideAccess({status: 'unknown', provider: 'p',
      checkedAtMs: 0, reason: 'no list'}, 'FR', 'latest').verdict,
    'unknown');
  });
});
