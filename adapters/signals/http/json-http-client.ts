/**
 * The one JSON-over-HTTP client of the carbon-signal providers: a timeout
 * per try, retries with exponential backoff and full jitter that honour
 * `Retry-After`, a circuit breaker per provider, and a typed error for
 * every way a call can fail. 4xx answers other than 429 are never retried.
 */
import axios from 'axios';
import type {AxiosInstance, AxiosResponse} from 'axios';

import type {Logger} from '../../../shared/ports/logger.js';
import {systemClock} from '../../../shared/time/clock.js';
import type {Clock} from '../../../shared/time/clock.js';
import {CircuitBreaker, DEFAULT_CIRCUIT_BREAKER} from './circuit-breaker.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderCircuitOpenError,
  ProviderForbiddenError,
  ProviderHttpError,
  ProviderMalformedBodyError,
  ProviderNetworkError,
  ProviderNotFoundError,
  ProviderServerError,
  ProviderThrottledError,
  ProviderTimeoutError,
} from './provider-http-errors.js';
import type {ProviderFailureDetails} from './provider-http-errors.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
} from './retry-policy.js';
import type {RetryPolicy} from './retry-policy.js';

/** Ten seconds per try unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Options of {@link createJsonHttpClient}. */
export interface JsonHttpClientOptions {
  /** Named in every error and log line, e.g. `watttime`. */
  readonly provider: string;
  /** e.g. `https://api.electricitymap.org`; paths are appended to it. */
  readonly baseUrl: string;
  /** Longest wait for one complete response; default 10 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Reads now and sleeps between tries; the wall clock by default. */
  readonly clock?: Clock;
  /** A draw in [0, 1) for the jitter; `Math.random` by default. */
  readonly random?: () => number;
  /** Shared breaker, or the thresholds of a new one. */
  readonly breaker?:
    | CircuitBreaker
    | {readonly failureThreshold: number; readonly coolDownMs: number};
  readonly logger?: Logger;
}

/** One call. */
export interface JsonRequest {
  /** Path under the base URL, e.g. `/v3/carbon-intensity/latest`. */
  readonly path: string;
  readonly query?: Readonly<
    Record<string, string | number | boolean | undefined>
  >;
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP Basic credentials. */
  readonly basicAuth?: {readonly username: string; readonly password: string};
  /** The zone the call is about, for errors and logs. */
  readonly zone?: string;
  /** JSON body of a POST. */
  readonly body?: unknown;
}

/** A JSON client bound to one provider. */
export interface JsonHttpClient {
  readonly provider: string;
  readonly breaker: CircuitBreaker;
  /** The parsed JSON body, or undefined for an empty 2xx body. */
  get(request: JsonRequest): Promise<unknown>;
  /** As `get`, with `request.body` sent as JSON. */
  post(request: JsonRequest): Promise<unknown>;
}

/** Creates the client of one provider. */
export function createJsonHttpClient(
  options: JsonHttpClientOptions,
): JsonHttpClient {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy = {...DEFAULT_RETRY_POLICY, ...options.retry};
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const breaker = options.breaker instanceof CircuitBreaker
    ? options.breaker
    : new CircuitBreaker({
      ...DEFAULT_CIRCUIT_BREAKER, ...options.breaker, clock});
  const http = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: timeoutMs,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: {accept: 'application/json'},
  });

  const call = (method: 'get' | 'post') => async (request: JsonRequest) => {
    for (let attempt = 1; ; attempt++) {
      // Refuse at once while the provider is known to be down.
      const details = {provider: options.provider, zone: request.zone,
        path: request.path};
      if (!breaker.tryAcquire()) {
        throw new ProviderCircuitOpenError({...details,
          reason: `${breaker.state()} after repeated failures; calls ` +
            `resume after ${new Date(breaker.reopensAtMs()).toISOString()}`},
        breaker.reopensAtMs());
      }

      // One try, turned into a body or a typed error.
      let failure: ProviderHttpError;
      try {
        const response = await send(http, method, request, timeoutMs);
        const body = interpret(response, details, clock.nowMs());
        breaker.recordSuccess();
        return body;
      } catch (error) {
        failure = asProviderError(error, details);
      }
      if (countsAgainstProvider(failure)) breaker.recordFailure();
      else breaker.recordSuccess();

      // Give up, or wait the jittered backoff (at least Retry-After).
      const retryAfterMs = failure instanceof ProviderThrottledError
        ? failure.retryAfterMs
        : undefined;
      if (!failure.retryable || attempt >= policy.maxAttempts ||
        (retryAfterMs ?? 0) > policy.maxRetryAfterMs) {
        throw failure;
      }
      const delayMs = backoffDelayMs(policy, attempt, random, retryAfterMs);
      options.logger?.log('WARNING', 'provider call failed; retrying', {
        provider: options.provider, zone: request.zone, path: request.path,
        code: failure.code, attempt, delayMs});
      await clock.sleepUntil(clock.nowMs() + delayMs);
    }
  };

  return {provider: options.provider, breaker, get: call('get'),
    post: call('post')};
}

// Sends one request with a hard deadline over the whole exchange.
async function send(
  http: AxiosInstance,
  method: 'get' | 'post',
  request: JsonRequest,
  timeoutMs: number,
): Promise<AxiosResponse<string>> {
  const params = Object.fromEntries(Object.entries(request.query ?? {})
    .filter(([, value]) => value !== undefined));
  return http.request<string>({
    method,
    url: request.path,
    params,
    headers: {...request.headers},
    auth: request.basicAuth,
    data: method === 'post' ? request.body : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
}

// Maps a response to its JSON body or throws the typed error of its status.
function interpret(
  response: AxiosResponse<string>,
  details: Omit<ProviderFailureDetails, 'reason'>,
  nowMs: number,
): unknown {
  const text = typeof response.data === 'string' ? response.data : '';
  const status = response.status;
  if (status >= 200 && status < 300) {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ProviderMalformedBodyError({...details, status,
        reason: `the body is not JSON (starts "${text.slice(0, 40)}")`},
      error);
    }
  }

  const failure = {...details, status, reason: errorReason(text, status)};
  if (status === 400) throw new ProviderBadRequestError(failure);
  if (status === 401) throw new ProviderAuthError(failure);
  if (status === 403) throw new ProviderForbiddenError(failure);
  if (status === 404) throw new ProviderNotFoundError(failure);
  if (status === 429) {
    const header = response.headers['retry-after'];
    throw new ProviderThrottledError(failure,
      parseRetryAfterMs(typeof header === 'string' ? header : undefined,
        nowMs));
  }
  if (status >= 500) throw new ProviderServerError(failure);
  throw new ProviderBadRequestError(failure);
}

// The provider's own message where its error body has one.
function errorReason(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const nested = body['error'];
    if (typeof body['message'] === 'string') return body['message'];
    if (typeof nested === 'string') return nested;
    if (nested && typeof nested === 'object' &&
      typeof (nested as Record<string, unknown>)['message'] === 'string') {
      return (nested as Record<string, string>)['message']!;
    }
  } catch {
    // Not JSON: fall through to the status text.
  }
  return text.trim() === ''
    ? `the provider answered HTTP ${status} with no message`
    : text.trim().slice(0, 200);
}

// Any thrown value of one try as a typed provider error.
function asProviderError(
  error: unknown,
  details: Omit<ProviderFailureDetails, 'reason'>,
): ProviderHttpError {
  if (error instanceof ProviderHttpError) return error;
  const code = (error as {code?: string}).code;
  const name = (error as {name?: string}).name;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' ||
    code === 'ERR_CANCELED' || name === 'TimeoutError' ||
    name === 'CanceledError') {
    return new ProviderTimeoutError({...details,
      reason: 'no complete response within the timeout'});
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderNetworkError({...details,
    reason: `the connection failed: ${code ?? message}`}, error);
}

// Failures that say the provider is unwell, as opposed to a refused request.
function countsAgainstProvider(failure: ProviderHttpError): boolean {
  return failure.retryable || failure instanceof ProviderMalformedBodyError;
}
