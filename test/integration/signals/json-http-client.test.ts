import assert from 'node:assert/strict';

import {createJsonHttpClient} from
  '../../../adapters/signals/http/json-http-client.js';
import type {JsonHttpClientOptions} from
  '../../../adapters/signals/http/json-http-client.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderCircuitOpenError,
  ProviderForbiddenError,
  ProviderHttpError,
  ProviderMalformedBodyError,
  ProviderNotFoundError,
  ProviderServerError,
  ProviderThrottledError,
  ProviderTimeoutError,
} from '../../../adapters/signals/http/provider-http-errors.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
} from '../../../adapters/signals/http/retry-policy.js';
import {SchedulerError} from '../../../shared/errors.js';
import {startFakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const NOW_MS = Date.parse('2025-02-03T08:57:00Z');
const PATH = '/intensity';

describe('JSON HTTP client over loopback', function () {
  let fake: FakeCarbonApis;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: NOW_MS});
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  function client(overrides: Partial<JsonHttpClientOptions> = {}) {
    const clock = createSteppingClock(NOW_MS);
    return {
      clock,
      http: createJsonHttpClient({provider: 'test-provider',
        baseUrl: fake.baseUrl, clock, random: () => 0.5, timeoutMs: 2_000,
        ...overrides}),
    };
  }

  it('returns the parsed JSON body of a 200', async () => {
    const {http} = client();
    const body = await http.get({path: PATH, zone: 'GB'}) as {data: unknown[]};

    assert.equal(body.data.length, 1);
  });

  it('posts the request body as JSON', async () => {
    const {http} = client();
    fake.answer({path: '/v3/carbon-aware-optimizer', response: {status: 200,
      body: {optimalStartTime: '2025-03-02T02:00:00.000Z'}}});

    const body = await http.post({path: '/v3/carbon-aware-optimizer',
      body: {duration: 'PT6H'}}) as {optimalStartTime: string};

    assert.equal(body.optimalStartTime, '2025-03-02T02:00:00.000Z');
    assert.equal(fake.calls[0]!.method, 'POST');
    assert.deepEqual(JSON.parse(fake.calls[0]!.bodyText),
      {duration: 'PT6H'});
  });

  it('waits the Retry-After seconds of a 429, then succeeds', async () => {
    fake.addFault({path: PATH, fault: {kind: 'status', status: 429,
      retryAfter: '7'}});
    const {http, clock} = client();

    await http.get({path: PATH, zone: 'GB'});

    assert.equal(fake.callCount(PATH), 2);
    assert.deepEqual(clock.sleepsMs, [7_000]);
  });

  it('waits until a Retry-After HTTP date', async () => {
    fake.addFault({path: PATH, fault: {kind: 'status', status: 429,
      retryAfter: new Date(NOW_MS + 12_000).toUTCString()}});
    const {http, clock} = client();

    await http.get({path: PATH, zone: 'GB'});

    assert.equal(fake.callCount(PATH), 2);
    assert.deepEqual(clock.sleepsMs, [12_000]);
  });

  it('fails at once when Retry-After exceeds the longest wait', async () => {
    fake.addFault({path: PATH, fault: {kind: 'status', status: 429,
      retryAfter: '3600'}});
    const {http, clock} = client();

    await assert.rejects(http.get({path: PATH, zone: 'GB'}),
      (error: unknown) => error instanceof ProviderThrottledError &&
        error.retryable && error.retryAfterMs === 3_600_000);
    assert.equal(fake.callCount(PATH), 1);
    assert.deepEqual(clock.sleepsMs, []);
  });

  it('retries a 500 with jittered exponential backoff', async () => {
    fake.addFault({path: PATH, times: 2,
      fault: {kind: 'status', status: 500}});
    const {http, clock} = client();

    await http.get({path: PATH, zone: 'GB'});

    assert.equal(fake.callCount(PATH), 3);
    // random() = 0.5 of the 250 ms then 500 ms ceilings.
    assert.deepEqual(clock.sleepsMs, [125, 250]);
  });

  it('gives up after the last try with a server error naming provider, ' +
    'zone and reason', async () => {
    fake.addFault({path: PATH, times: Infinity, fault: {kind: 'status',
      status: 503, body: {error: {code: '503', message: 'maintenance'}}}});
    const {http} = client();

    await assert.rejects(http.get({path: PATH, zone: 'GB'}),
      (error: unknown) => error instanceof ProviderServerError &&
        error instanceof SchedulerError && error.retryable &&
        error.provider === 'test-provider' && error.zone === 'GB' &&
        error.status === 503 && /maintenance/.test(error.message));
    assert.equal(fake.callCount(PATH), DEFAULT_RETRY_POLICY.maxAttempts);
  });

  for (const [status, errorClass] of [
    [400, ProviderBadRequestError],
    [401, ProviderAuthError],
    [403, ProviderForbiddenError],
    [404, ProviderNotFoundError],
  ] as const) {
    it(`does not retry HTTP ${status} and throws ${errorClass.name}`,
      async () => {
        fake.addFault({path: PATH, fault: {kind: 'status', status,
          body: {status: 'error', message: `refused ${status}`}}});
        const {http} = client();

        await assert.rejects(http.get({path: PATH, zone: 'GB'}),
          (error: unknown) => error instanceof errorClass &&
            !error.retryable && error.reason === `refused ${status}`);
        assert.equal(fake.callCount(PATH), 1);
      });
  }

  it('times out a slow response, then retries it', async () => {
    fake.addFault({path: PATH, fault: {kind: 'slow', delayMs: 2_000}});
    const {http} = client({timeoutMs: 400});

    const body = await http.get({path: PATH, zone: 'GB'});

    assert.ok(body);
    assert.equal(fake.callCount(PATH), 2);
  });

  it('throws a timeout error when every try is slow', async () => {
    fake.addFault({path: PATH, times: 2,
      fault: {kind: 'slow', delayMs: 2_000}});
    const {http} = client({timeoutMs: 400, retry: {maxAttempts: 2}});

    await assert.rejects(http.get({path: PATH, zone: 'GB'}),
      (error: unknown) => error instanceof ProviderTimeoutError &&
        error.retryable && error.zone === 'GB');
  });

  it('throws a malformed-body error for a 200 that is not JSON', async () => {
    fake.addFault({path: PATH, fault: {kind: 'malformed-json'}});
    const {http} = client();

    await assert.rejects(http.get({path: PATH, zone: 'GB'}),
      (error: unknown) => error instanceof ProviderMalformedBodyError &&
        /not JSON/.test(error.message));
    assert.equal(fake.callCount(PATH), 1);
  });

  it('returns undefined for a 200 with an empty body', async () => {
    fake.addFault({path: PATH, fault: {kind: 'empty-body'}});
    const {http} = client();

    assert.equal(await http.get({path: PATH, zone: 'GB'}), undefined);
  });

  it('opens the breaker after consecutive failures, refuses calls, and ' +
    'lets one trial through after the cool-down', async () => {
    fake.addFault({path: PATH, times: 3,
      fault: {kind: 'status', status: 500}});
    const {http, clock} = client({retry: {maxAttempts: 1},
      breaker: {failureThreshold: 3, coolDownMs: 30_000}});

    for (let call = 0; call < 3; call++) {
      await assert.rejects(http.get({path: PATH, zone: 'GB'}),
        ProviderServerError);
    }
    await assert.rejects(http.get({path: PATH, zone: 'GB'}),
      (error: unknown) => error instanceof ProviderCircuitOpenError &&
        error.reopensAtMs === NOW_MS + 30_000);
    assert.equal(fake.callCount(PATH), 3);
    assert.equal(http.breaker.state(), 'open');

    clock.set(NOW_MS + 30_000);
    assert.equal(http.breaker.state(), 'half-open');
    await http.get({path: PATH, zone: 'GB'});
    assert.equal(http.breaker.state(), 'closed');
    assert.equal(fake.callCount(PATH), 4);
  });

  it('reopens the breaker when the half-open trial fails', async () => {
    fake.addFault({path: PATH, times: 2,
      fault: {kind: 'status', status: 500}});
    const {http, clock} = client({retry: {maxAttempts: 1},
      breaker: {failureThreshold: 1, coolDownMs: 1_000}});

    await assert.rejects(http.get({path: PATH}), ProviderServerError);
    clock.set(NOW_MS + 1_000);
    await assert.rejects(http.get({path: PATH}), ProviderServerError);

    assert.equal(http.breaker.state(), 'open');
    await assert.rejects(http.get({path: PATH}), ProviderCircuitOpenError);
  });

  it('names the provider in a connection failure', async () => {
    const http = createJsonHttpClient({provider: 'nowhere',
      baseUrl: 'http://127.0.0.1:1', clock: createSteppingClock(NOW_MS),
      retry: {maxAttempts: 1}});

    await assert.rejects(http.get({path: '/x', zone: 'BE'}),
      (error: unknown) => error instanceof ProviderHttpError &&
        error.provider === 'nowhere' && error.retryable);
  });
});

describe('retry policy', () => {
  it('draws full jitter under a doubling ceiling capped at the maximum',
    () => {
      const policy = {...DEFAULT_RETRY_POLICY, baseDelayMs: 100,
        maxDelayMs: 350};

      assert.equal(backoffDelayMs(policy, 1, () => 0.999), 99);
      assert.equal(backoffDelayMs(policy, 2, () => 0.5), 100);
      assert.equal(backoffDelayMs(policy, 5, () => 0.5), 175);
      assert.equal(backoffDelayMs(policy, 3, () => 0), 0);
    });

  it('never waits less than Retry-After', () => {
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.9, 5_000),
      5_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const nowMs = Date.parse('2015-10-21T07:27:00Z');

    assert.equal(parseRetryAfterMs('120', nowMs), 120_000);
    assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', nowMs),
      60_000);
    assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:00:00 GMT', nowMs),
      0);
    assert.equal(parseRetryAfterMs('soon', nowMs), undefined);
    assert.equal(parseRetryAfterMs(undefined, nowMs), undefined);
  });
});
