import type {ClientConfig, PubSub} from '@google-cloud/pubsub';

// `fallback` is a client-library option the Pub/Sub typings omit.
type RestClientConfig = ClientConfig & {readonly fallback: 'rest'};

/**
 * The Pub/Sub client a Cloud Function publishes its replies, events and
 * refusals with. It uses the client library's HTTP/1.1 REST transport
 * (`fallback: 'rest'`) rather than gRPC: a function publishes a few
 * small messages per event and never streams, and the gRPC transport
 * builds descriptors for every Pub/Sub protocol type before its first
 * call, which a cold instance pays on its first event. Batching,
 * retries and the message format are the library's either way.
 *
 * With `PUBSUB_EMULATOR_HOST` set (local runs, tests, the cold-start
 * benchmark) the same transport speaks plain HTTP to the emulator,
 * without credentials, as the emulator expects.
 */
export async function createFunctionPubSub(
  projectId: string,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<PubSub> {
  const {PubSub: Client} = await import('@google-cloud/pubsub');
  const emulatorHost = environment.PUBSUB_EMULATOR_HOST?.trim();
  if (!emulatorHost) {
    return new Client({projectId, fallback: 'rest'} as RestClientConfig);
  }
  const {PassThroughClient} = await import('google-auth-library');
  // The library's own copy of google-auth-library may be an older
  // release; the client is used through its interface alone.
  const authClient = new PassThroughClient() as unknown as
    ClientConfig['authClient'];
  return new Client({
    projectId,
    fallback: 'rest',
    apiEndpoint: emulatorHost,
    protocol: 'http',
    authClient,
  } as RestClientConfig);
}
