import {PubSub} from '@google-cloud/pubsub';

/**
 * A Pub/Sub client for the local emulator at `address` (host:port): no
 * credentials, no metadata-server probing. The variables are set for the
 * whole process, as every Google client in it should see the emulator.
 */
export function createEmulatorPubSub(
  address: string,
  projectId: string,
): PubSub {
  process.env.PUBSUB_EMULATOR_HOST = address;
  process.env.METADATA_SERVER_DETECTION = 'none';
  return new PubSub({projectId});
}
