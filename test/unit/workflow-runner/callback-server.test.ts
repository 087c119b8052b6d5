import assert from 'node:assert/strict';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {CallbackServer} from
  '../../../adapters/local/workflow-runner/callback-server.js';

const START_MS = Date.parse('2025-03-01T00:00:00Z');

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

describe('callback server', () => {
  let clock: VirtualClock;
  let server: CallbackServer;

  beforeEach(async () => {
    clock = new VirtualClock(START_MS, {quietMilliseconds: 1});
    server = new CallbackServer({clock});
    await server.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('gives endpoint URLs on 127.0.0.1 under /callbacks/', () => {
    const url = server.createEndpoint();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/callbacks\/[\w-]+$/);
  });

  it('answers 404 for an unknown endpoint', async () => {
    const url = new URL(server.createEndpoint());
    url.pathname = '/callbacks/unknown';
    assert.equal(await post(url.href, {}), 404);
  });

  it('queues a request that arrives before the await', async () => {
    const url = server.createEndpoint();
    assert.equal(await post(url, {n: 1}), 200);
    const outcome = await server.await(url, 60, 'early');
    assert.equal(outcome.kind, 'received');
    if (outcome.kind === 'received') {
      assert.equal(outcome.request.bodyText, '{"n":1}');
    }
    outcome.release();
  });

  it('holds the clock for the awaiting side before answering the POST',
    async () => {
      const url = server.createEndpoint();
      const pending = server.await(url, 60, 'awaiting side');
      assert.deepEqual(clock.describeHolders(), []);
      const status = await post(url, {n: 2});
      assert.equal(status, 200);
      assert.deepEqual(clock.describeHolders(), ['awaiting side']);
      const outcome = await pending;
      outcome.release();
      assert.deepEqual(clock.describeHolders(), []);
    });

  it('times out on the virtual clock and holds the clock again',
    async () => {
      const url = server.createEndpoint();
      let holdersAtWake: string[] = [];
      let ended = false;
      const pending = server.await(url, 90, 'after timeout').then((o) => {
        holdersAtWake = clock.describeHolders();
        o.release();
        ended = true;
        return o;
      });
      await clock.run(() => ended);
      const outcome = await pending;
      assert.equal(outcome.kind, 'timeout');
      assert.equal(clock.nowMs() - START_MS, 90_000);
      assert.deepEqual(holdersAtWake, ['after timeout']);
    });
});
