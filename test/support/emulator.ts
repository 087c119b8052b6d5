import {randomUUID} from 'node:crypto';
import type {PubSub} from '@google-cloud/pubsub';
import {createEmulatorPubSub} from '../../adapters/local/emulator-pubsub.js';
import {startPubSubEmulator} from '../../adapters/local/pubsub-emulator.js';

/**
 * The real Pub/Sub emulator for one suite: the one CI started
 * (TEST_PUBSUB_EMULATOR_HOST) or, when run by hand, a fresh one that is
 * stopped after the suite. Each suite gets its own project id, so suites
 * never see each other's topics.
 */
export function useEmulator(projectPrefix = 'test'): {
  pubsub: () => PubSub;
  projectId: () => string;
  /** host:port, for a process of its own (PUBSUB_EMULATOR_HOST). */
  address: () => string;
} {
  let stop: (() => Promise<void>) | undefined;
  let pubsub: PubSub | undefined;
  let emulatorAddress: string | undefined;
  const projectId = `${projectPrefix}-${randomUUID().slice(0, 8)}`;
  before(async function () {
    this.timeout(90_000);
    let address = process.env.TEST_PUBSUB_EMULATOR_HOST;
    if (!address) {
      const emulator = await startPubSubEmulator();
      address = emulator.address;
      stop = () => emulator.stop();
    }
    emulatorAddress = address;
    pubsub = createEmulatorPubSub(address, projectId);
  });
  after(async function () {
    this.timeout(30_000);
    await pubsub?.close();
    await stop?.();
  });
  return {pubsub: () => pubsub!, projectId: () => projectId,
    address: () => emulatorAddress!};
}
