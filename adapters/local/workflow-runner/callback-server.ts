import {readLocalPorts} from '../local-ports.js';
import {createServer} from 'node:http';
import type {IncomingMessage, Server, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {randomUUID} from 'node:crypto';
import {SchedulerError} from '../../../shared/errors.js';
import type {Clock} from '../../../shared/time/clock.js';

/** A clock that components can hold still (the virtual clock). */
export interface HoldableClock extends Clock {
  /** Marks a component busy; returns the release. */
  hold(reason: string): () => void;
}

/** One HTTP request received on a callback endpoint. */
export interface CallbackRequest {
  readonly method: string;
  /** The request path, e.g. `/callbacks/<id>`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | null;
  readonly bodyText: string;
  /** The virtual time the request arrived. */
  readonly receivedAtMs: number;
}

/**
 * How an await ended. Either way the clock is already held again for the
 * awaiting execution; `release` lets that hold go.
 */
export type CallbackOutcome =
  | {
      readonly kind: 'received';
      readonly request: CallbackRequest;
      readonly release: () => void;
    }
  | {readonly kind: 'timeout'; readonly release: () => void};

/** A callback endpoint was misused (unknown, or awaited twice at once). */
export class CallbackEndpointError extends SchedulerError {
  constructor(message: string) {
    super('CALLBACK_ENDPOINT_INVALID', message);
  }
}

interface Waiter {
  readonly holdReason: string;
  readonly resolve: (outcome: CallbackOutcome) => void;
}

interface Endpoint {
  readonly method: string;
  readonly queue: CallbackRequest[];
  waiter: Waiter | null;
}

/**
 * The local stand-in for Workflows callback endpoints: an HTTP server on
 * 127.0.0.1 and a free port. Requests that arrive before an await are
 * queued, as the service does. When a request wakes an await, the server
 * takes the clock hold for the awaiting execution before it answers, so
 * virtual time cannot move between the arrival and the execution's next
 * step. An await's timeout is a virtual-clock timer.
 */
export class CallbackServer {
  private readonly clock: HoldableClock;
  // TODO(workflow-runner): endpoints live until close(); drop them when
  // their execution ends, once runWorkflow reports its endpoints.
  private readonly endpoints = new Map<string, Endpoint>();
  private server: Server | null = null;
  private port: number | null = null;

  private readonly address: {host: string; port: number};

  /**
   * @param options.address - where to listen; by default firebase.json's
   *   `workflowCallbacks` entry (port 0: a free port)
   */
  constructor(options: {
    readonly clock: HoldableClock;
    readonly address?: {host: string; port: number};
  }) {
    this.clock = options.clock;
    this.address = options.address ?? readLocalPorts().workflowCallbacks;
  }

  /** Starts listening at the configured address. */
  async start(): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Creates an endpoint.
   *
   * @param method - the HTTP method the endpoint accepts
   * @returns its URL, `http://127.0.0.1:PORT/callbacks/<id>`
   */
  createEndpoint(method = 'POST'): string {
    if (this.port === null) {
      throw new CallbackEndpointError(
        'the callback server is not started: call start() first',
      );
    }
    const path = `/callbacks/${randomUUID()}`;
    this.endpoints.set(path, {method, queue: [], waiter: null});
    return `http://${this.address.host}:${this.port}${path}`;
  }

  /**
   * Waits for the next request on an endpoint, at most `timeoutSeconds`
   * of virtual time. Call it while holding the clock and let your own hold
   * go after the call: the outcome carries a fresh hold.
   *
   * @param url - a URL from `createEndpoint`
   * @param timeoutSeconds - virtual seconds before a timeout
   * @param holdReason - the reason the re-taken hold shows
   */
  await(
    url: string,
    timeoutSeconds: number,
    holdReason = 'workflow after callback',
  ): Promise<CallbackOutcome> {
    const endpoint = this.endpoints.get(new URL(url).pathname);
    if (endpoint === undefined) {
      throw new CallbackEndpointError(`callback endpoint ${url} is unknown`);
    }
    if (endpoint.waiter !== null) {
      throw new CallbackEndpointError(
        `callback endpoint ${url} is already awaited`,
      );
    }
    const queued = endpoint.queue.shift();
    if (queued !== undefined) {
      const release = this.clock.hold(holdReason);
      return Promise.resolve({kind: 'received', request: queued, release});
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {holdReason, resolve};
      endpoint.waiter = waiter;
      // TODO(workflow-runner): the virtual clock cannot cancel a timer, so
      // an answered await leaves its timeout pending (a no-op when due);
      // remove once VirtualClock offers cancellation.
      const dueMs = this.clock.nowMs() + timeoutSeconds * 1000;
      void this.clock.sleepUntil(dueMs).then(() => {
        if (endpoint.waiter !== waiter) return;
        endpoint.waiter = null;
        resolve({kind: 'timeout', release: this.clock.hold(holdReason)});
      });
    });
  }

  // Reads one request, hands it to its endpoint, then answers.
  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const bodyText = await readBody(request);
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const endpoint = this.endpoints.get(target.pathname);
    if (endpoint === undefined) {
      return answer(response, 404, 'no such callback endpoint');
    }
    if (request.method !== endpoint.method) {
      return answer(response, 405, `this endpoint accepts ${endpoint.method}`);
    }
    const received: CallbackRequest = {
      method: request.method,
      path: target.pathname,
      headers: flattenHeaders(request),
      query: Object.fromEntries(target.searchParams),
      contentType: request.headers['content-type'] ?? null,
      bodyText,
      receivedAtMs: this.clock.nowMs(),
    };
    this.deliver(endpoint, received);
    answer(response, 200, 'delivered');
  }

  // Wakes the waiter (holding the clock for it first) or queues.
  private deliver(endpoint: Endpoint, received: CallbackRequest): void {
    const waiter = endpoint.waiter;
    if (waiter === null) {
      endpoint.queue.push(received);
      return;
    }
    endpoint.waiter = null;
    const release = this.clock.hold(waiter.holdReason);
    waiter.resolve({kind: 'received', request: received, release});
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return headers;
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {'content-type': 'application/json'});
  response.end(JSON.stringify({status: text}));
}
