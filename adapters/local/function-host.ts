import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {cloudEvent, type CloudEvent} from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {MAX_DELIVERY_ATTEMPTS} from '../../functions/registry.js';
import type {MessagePublishedData} from '../function-runtime/pubsub-event.js';
import {readLocalPorts} from './local-ports.js';
import {asPubSubEvent} from '../function-runtime/raw-push-body.js';

/** A CloudEvent handler as the functions export it. */
export type PubSubHandler = (
  event: CloudEvent<MessagePublishedData>,
) => Promise<void>;

/** A function served locally. */
export interface HostedFunction {
  readonly name: string;
  readonly baseUrl: string;
}

/**
 * Serves each function on its own functions-framework server on
 * loopback, so the emulator's push subscriptions reach it through the
 * framework's own Pub/Sub-to-CloudEvent conversion, as in the cloud. Each
 * handler is wrapped to report when a message is settled (handled, or
 * failed for the last time) so local time can move on.
 */
export class FunctionHost {
  private readonly servers: Server[] = [];
  private readonly failures = new Map<string, number>();

  private readonly host: string;
  private nextPort: number;

  /**
   * @param address - where to listen; by default firebase.json's
   *   `functions` entry (port 0: free ports; else one port per function
   *   from that one up)
   */
  constructor(
    private readonly onSettled: (messageId: string) => void,
    address: {host: string; port: number} = readLocalPorts().functions,
  ) {
    this.host = address.host;
    this.nextPort = address.port;
  }

  async serve(
    name: string,
    entryPoint: string,
    handler: PubSubHandler,
  ): Promise<HostedFunction> {
    cloudEvent<MessagePublishedData>(
      entryPoint,
      (event: CloudEvent<MessagePublishedData>) =>
      this.invoke(handler, event),
    );
    const server = getTestServer(entryPoint);
    const wantedPort = this.nextPort;
    if (wantedPort !== 0) this.nextPort += 1;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wantedPort, this.host, resolve);
    });
    this.servers.push(server);
    const {port} = server.address() as AddressInfo;
    return {name, baseUrl: `http://${this.host}:${port}`};
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections?.();
            server.close(() => resolve());
          }),
      ),
    );
    this.servers.length = 0;
  }

  private async invoke(
    handler: PubSubHandler,
    event: CloudEvent<MessagePublishedData>,
  ): Promise<void> {
    // A message with empty data arrives as the raw push body.
    const message = asPubSubEvent(event).data?.message;
    const messageId = message?.messageId ?? message?.message_id;
    try {
      await handler(event);
    } catch (error) {
      const failures = (this.failures.get(messageId ?? '') ?? 0) + 1;
      this.failures.set(messageId ?? '', failures);
      if (messageId && failures >= MAX_DELIVERY_ATTEMPTS) {
        this.onSettled(messageId);
      }
      throw error;
    }
    if (messageId) this.onSettled(messageId);
  }
}
