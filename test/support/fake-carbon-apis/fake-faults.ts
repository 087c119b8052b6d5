/**
 * Faults the fake APIs can be told to produce, each for a number of
 * matching calls: an error status (429 with Retry-After, 500, ...), a
 * slow answer, a body that is not JSON, nulls where values belong, `{}`
 * with 200, or a 200 with no body at all.
 */
import type {FakeResponse} from './fake-request.js';

/** What goes wrong. */
export type Fault =
  | {readonly kind: 'status'; readonly status: number;
    readonly retryAfter?: string; readonly body?: unknown}
  | {readonly kind: 'slow'; readonly delayMs: number}
  | {readonly kind: 'malformed-json'}
  | {readonly kind: 'nulls'}
  | {readonly kind: 'empty-object'}
  | {readonly kind: 'empty-body'};

/** Which calls a fault applies to, and how many times. */
export interface FaultRule {
  /** The request path exactly, e.g. `/v3/carbon-intensity/forecast`. */
  readonly path: string;
  /** Only calls about this zone or region. */
  readonly zone?: string;
  /** How many matching calls get it; default 1, Infinity for all. */
  readonly times?: number;
  readonly fault: Fault;
}

// Value fields that the `nulls` fault empties.
const VALUE_FIELDS = new Set([
  'carbonIntensity', 'value', 'forecast', 'actual',
]);

/** The normal answer with every value field set to null. */
export function withNullValues(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withNullValues);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [
    name,
    VALUE_FIELDS.has(name) && typeof value === 'number'
      ? null
      : withNullValues(value),
  ]));
}

/**
 * The response a fault turns the normal answer into; `slow` is applied
 * by the server as a delay before the normal answer.
 */
export function faultResponse(
  fault: Fault,
  normal: FakeResponse,
): FakeResponse {
  switch (fault.kind) {
    case 'status':
      return {
        status: fault.status,
        body: fault.body ?? {status: 'error',
          message: `fault: HTTP ${fault.status}`},
        headers: fault.retryAfter === undefined
          ? undefined
          : {'retry-after': fault.retryAfter},
      };
    case 'malformed-json':
      return {status: 200, text: '{"data": [{"value": 12'};
    case 'nulls':
      return {...normal, body: withNullValues(normal.body)};
    case 'empty-object':
      return {status: 200, text: '{}'};
    case 'empty-body':
      return {status: 200, text: ''};
    case 'slow':
      return normal;
  }
}
