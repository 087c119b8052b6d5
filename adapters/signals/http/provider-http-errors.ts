/**
 * Typed failures of the carbon-signal HTTP providers. Each names the
 * provider, the zone asked for and the reason, and says whether a retry
 * can help: throttling, server faults and timeouts can; a refused or
 * malformed request cannot.
 */
import {SchedulerError} from '../../../shared/errors.js';

/** What every provider HTTP failure carries. */
export interface ProviderFailureDetails {
  /** e.g. `electricity-maps`. */
  readonly provider: string;
  /** The zone or region asked for; absent for zone-less calls. */
  readonly zone?: string;
  /** The path called, without the query. */
  readonly path: string;
  /** What went wrong, in words (the provider's message where it sent one). */
  readonly reason: string;
  /** The HTTP status, where a response arrived. */
  readonly status?: number;
}

/** The base of every provider HTTP failure. */
export class ProviderHttpError extends SchedulerError {
  readonly provider: string;
  readonly zone: string | undefined;
  readonly path: string;
  readonly reason: string;
  readonly status: number | undefined;

  constructor(
    code: string,
    details: ProviderFailureDetails,
    options: {retryable?: boolean; cause?: unknown} = {},
  ) {
    const where = details.zone === undefined
      ? details.path
      : `${details.path} for zone "${details.zone}"`;
    const status = details.status === undefined
      ? ''
      : ` (HTTP ${details.status})`;
    super(code, `${details.provider} ${where}${status}: ${details.reason}`,
      options);
    this.provider = details.provider;
    this.zone = details.zone;
    this.path = details.path;
    this.reason = details.reason;
    this.status = details.status;
  }
}

/** HTTP 400: the request was refused as invalid (often an unknown zone). */
export class ProviderBadRequestError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-bad-request', details);
  }
}

/** HTTP 401: the credentials were refused (absent, wrong or expired). */
export class ProviderAuthError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-unauthorized', details);
  }
}

/** HTTP 403: the credentials may not read this path or zone. */
export class ProviderForbiddenError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-forbidden', details);
  }
}

/** HTTP 404: the path or zone does not exist at the provider. */
export class ProviderNotFoundError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-not-found', details);
  }
}

/** HTTP 429: throttled; `retryAfterMs` is what the provider asked for. */
export class ProviderThrottledError extends ProviderHttpError {
  readonly retryAfterMs: number | undefined;

  constructor(details: ProviderFailureDetails, retryAfterMs?: number) {
    super('provider-throttled', details, {retryable: true});
    this.retryAfterMs = retryAfterMs;
  }
}

/** HTTP 5xx: the provider failed. */
export class ProviderServerError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-server-error', details, {retryable: true});
  }
}

/** No complete response within the timeout. */
export class ProviderTimeoutError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails) {
    super('provider-timeout', details, {retryable: true});
  }
}

/** The connection failed before any response (refused, reset, DNS). */
export class ProviderNetworkError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails, cause?: unknown) {
    super('provider-network', details, {retryable: true, cause});
  }
}

/** A 2xx response whose body is not the JSON shape the provider documents. */
export class ProviderMalformedBodyError extends ProviderHttpError {
  constructor(details: ProviderFailureDetails, cause?: unknown) {
    super('provider-malformed-body', details, {cause});
  }
}

/** Calls are refused locally because the provider kept failing. */
export class ProviderCircuitOpenError extends ProviderHttpError {
  readonly reopensAtMs: number;

  constructor(details: ProviderFailureDetails, reopensAtMs: number) {
    super('provider-circuit-open', details, {retryable: true});
    this.reopensAtMs = reopensAtMs;
  }
}

/** The provider cannot be called as configured (no token, no zone). */
export class ProviderConfigurationError extends SchedulerError {
  constructor(provider: string, reason: string) {
    super('provider-configuration', `${provider}: ${reason}`);
  }
}
