import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {
  ENTRY_POINT_NAMES,
  ENTRY_POINTS,
} from '../../../functions/entry-points.js';
import {FUNCTIONS} from '../../../functions/registry.js';

describe('cloud entry points', function () {
  this.timeout(60_000);

  it('names one entry point per function of the registry', () => {
    assert.deepEqual(ENTRY_POINT_NAMES,
      FUNCTIONS.map((definition) => definition.entryPoint));
    assert.equal(new Set(ENTRY_POINT_NAMES).size, 8);
  });

  for (const entry of ENTRY_POINTS) {
    it(`${entry.sourceFile} registers ${entry.entryPoint} and answers a ` +
      'delivery it cannot configure for with 500, so it is redelivered',
    async () => {
      const saved = process.env.GOOGLE_CLOUD_PROJECT;
      delete process.env.GOOGLE_CLOUD_PROJECT;
      try {
        await import(`../../../${entry.sourceFile}`);
        const server = getTestServer(entry.entryPoint);
        await new Promise<void>((resolve) =>
          server.listen(0, '127.0.0.1', resolve));
        const {port} = server.address() as AddressInfo;
        const response = await fetch(
          `http://127.0.0.1:${port}/projects/p/topics/${entry.topics[0]}`,
          {
            method: 'POST',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify({
              message: {data: Buffer.from('{}').toString('base64'),
                messageId: '1', attributes: {}},
              subscription: 'projects/p/subscriptions/s',
            }),
          });
        await response.arrayBuffer();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // The settings are read on the first event: GOOGLE_CLOUD_PROJECT
        // is missing, a retryable fault.
        assert.equal(response.status, 500);
      } finally {
        if (saved !== undefined) process.env.GOOGLE_CLOUD_PROJECT = saved;
      }
    });
  }
});
