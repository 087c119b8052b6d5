import {decodeJson} from './json-codec.js';
import {runtimeError} from './workflow-errors.js';
import {mapOf} from './values.js';
import type {WorkflowValue} from './values.js';
import type {
  CallbackRequest,
  CallbackServer,
  HoldableClock,
} from './callback-server.js';
import type {PublishedMessage, RuntimeServices} from './standard-library.js';

/** The Pub/Sub side the publish connector talks to. */
export interface WorkflowConnectors {
  publish(
    topicPath: string,
    messages: readonly PublishedMessage[],
  ): Promise<{messageIds: string[]}>;
}

/** One `sys.log` entry. */
export interface WorkflowLogEntry {
  readonly severity: string;
  readonly data: unknown;
  readonly atMs: number;
}

/**
 * The runtime services of one execution, keeping its clock hold: held
 * while steps run, let go only while blocked in a sleep or an await.
 * An aborted `signal` ends a sleep or an await at once, throwing the
 * abort reason, with no hold taken again.
 */
export class HeldExecution implements RuntimeServices {
  private release: (() => void) | null;

  constructor(
    private readonly clock: HoldableClock,
    private readonly callbacks: CallbackServer,
    private readonly connectors: WorkflowConnectors,
    private readonly logSink: ((entry: WorkflowLogEntry) => void) | undefined,
    private readonly holdReason: string,
    private readonly signal?: AbortSignal,
  ) {
    this.release = clock.hold(holdReason);
  }

  nowSeconds(): number {
    return this.clock.nowMs() / 1000;
  }

  async sleepUntilMs(instantMs: number): Promise<void> {
    this.signal?.throwIfAborted();
    this.letGo();
    // The clock cannot cancel a timer: a killed sleep leaves it pending,
    // a no-op when due.
    await untilAborted(this.clock.sleepUntil(instantMs), this.signal);
    this.release = this.clock.hold(this.holdReason);
  }

  createCallbackEndpoint(method: string): string {
    return this.callbacks.createEndpoint(method);
  }

  async awaitCallback(
    url: string,
    timeoutSeconds: number,
  ): Promise<WorkflowValue> {
    this.signal?.throwIfAborted();
    const pending = this.callbacks.await(url, timeoutSeconds, this.holdReason);
    this.letGo();
    let outcome;
    try {
      outcome = await untilAborted(pending, this.signal);
    } catch (error) {
      // Killed while waiting: whatever ends the await later (a reply or
      // the timeout) takes a hold for nobody; let it go at once.
      void pending.then((late) => late.release());
      throw error;
    }
    this.release = outcome.release;
    if (outcome.kind === 'timeout') {
      throw runtimeError(
        'TimeoutError',
        `no callback on ${url} within ${timeoutSeconds} s`,
      );
    }
    return callbackResult(outcome.request);
  }

  async publish(
    topicPath: string,
    messages: PublishedMessage[],
  ): Promise<string[]> {
    try {
      const response = await this.connectors.publish(topicPath, messages);
      return response.messageIds;
    } catch (error) {
      throw connectorError(error);
    }
  }

  log(severity: string, data: unknown): void {
    this.logSink?.({severity, data, atMs: this.clock.nowMs()});
  }

  /** Lets the hold go for good at the end of the execution. */
  finish(): void {
    this.letGo();
  }

  private letGo(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }
}

// Settles as `work` does, or rejects with the abort reason first.
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// The map `events.await_callback` returns.
function callbackResult(request: CallbackRequest): WorkflowValue {
  return mapOf({
    http_request: mapOf({
      body: requestBody(request),
      headers: mapOf(request.headers),
      method: request.method,
      query: mapOf(request.query),
      url: request.path,
    }),
    received_time: new Date(request.receivedAtMs).toISOString(),
    type: 'HTTP',
  });
}

// A JSON body is parsed, as the service does; any other stays text.
function requestBody(request: CallbackRequest): WorkflowValue {
  if (request.bodyText === '') return null;
  if (!(request.contentType ?? '').includes('json')) return request.bodyText;
  try {
    return decodeJson(request.bodyText);
  } catch {
    return request.bodyText;
  }
}

// A failed publish as the connector raises it: HttpError with a code,
// or ConnectionError when no HTTP status is known.
function connectorError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as {code?: unknown} | null)?.code;
  if (typeof code === 'number' && code >= 400 && code <= 599) {
    return runtimeError('HttpError', message, {code: BigInt(code)});
  }
  return runtimeError('ConnectionError', message);
}
