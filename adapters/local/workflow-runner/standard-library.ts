import {encodeJson, decodeJson, formatDouble} from './json-codec.js';
import {runtimeError, UnsupportedConstructError} from './workflow-errors.js';
import {isMap, isNumber, mapOf, toDouble, toPlain, typeName} from
  './values.js';
import type {WorkflowMap, WorkflowValue} from './values.js';

/** One message for the Pub/Sub publish connector. */
export interface PublishedMessage {
  /** Base64 text of the message data. */
  readonly data: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Positional arguments; an optional one left out is undefined. */
export type Args = readonly (WorkflowValue | undefined)[];

/** What the blocking functions need from the execution. */
export interface RuntimeServices {
  /** Virtual seconds since the epoch. */
  nowSeconds(): number;
  /** Blocks (letting the clock go) until the virtual clock reads it. */
  sleepUntilMs(instantMs: number): Promise<void>;
  createCallbackEndpoint(method: string): string;
  /** The `events.await_callback` result map, or raises a TimeoutError. */
  awaitCallback(url: string, timeoutSeconds: number): Promise<WorkflowValue>;
  /** Publishes; returns message ids. */
  publish(topicPath: string, messages: PublishedMessage[]): Promise<string[]>;
  log(severity: string, data: unknown): void;
}

/** Where a function is called from. */
export interface CallSite {
  readonly services: RuntimeServices;
  readonly stepName: string;
}

/** A standard-library function or connector. */
export interface LibraryFunction {
  /** Argument names of the call-step form, in positional order. */
  readonly params: readonly string[];
  /** How many leading params are required. */
  readonly required: number;
  /** Blocking functions are allowed only as `call` steps. */
  readonly blocking: boolean;
  readonly invoke: (
    args: Args,
    site: CallSite,
  ) => WorkflowValue | Promise<WorkflowValue>;
}

const MAX_SLEEP_SECONDS = 31_536_000;
const DEFAULT_CALLBACK_TIMEOUT_SECONDS = 43_200;
const RFC3339 =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function plain(
  params: readonly string[],
  required: number,
  invoke: LibraryFunction['invoke'],
): LibraryFunction {
  return {params, required, blocking: false, invoke};
}

function blocking(
  params: readonly string[],
  required: number,
  invoke: LibraryFunction['invoke'],
): LibraryFunction {
  return {params, required, blocking: true, invoke};
}

/**
 * The functions the local runner implements, by their Workflows names.
 * Anything not here stops the run as not supported.
 */
export const STANDARD_LIBRARY: ReadonlyMap<string, LibraryFunction> =
  new Map<string, LibraryFunction>([
    ['sys.now', plain([], 0, (_, site) => site.services.nowSeconds())],
    ['sys.sleep', blocking(['seconds'], 1, sleep)],
    ['sys.sleep_until', blocking(['time'], 1, sleepUntil)],
    ['sys.log', plain(['data', 'severity', 'text', 'json'], 0, log)],
    ['time.format', plain(['seconds', 'timezone'], 1, formatTime)],
    ['time.parse', plain(['value'], 1, ([value]) => parseTime(value!))],
    ['json.encode', plain(['data', 'indent'], 1, ([data]) =>
      new Uint8Array(Buffer.from(encodeJson(data!), 'utf8')))],
    ['json.encode_to_string', plain(['data', 'indent'], 1, ([data]) =>
      encodeJson(data!))],
    ['json.decode', plain(['data'], 1, ([data]) => decodeJson(text(data!)))],
    ['base64.encode', plain(['data', 'padding'], 1, base64Encode)],
    ['base64.decode', plain(['data', 'padding'], 1, base64Decode)],
    ['text.encode', plain(['data', 'charset'], 1, ([data]) =>
      new Uint8Array(Buffer.from(str(data!, 'text.encode'), 'utf8')))],
    ['text.decode', plain(['data', 'charset'], 1, ([data]) => text(data!))],
    ['text.split', plain(['source', 'separator'], 2, ([source, separator]) =>
      str(source!, 'text.split').split(str(separator!, 'text.split')))],
    ['text.replace_all', plain(['source', 'substr', 'repl'], 3,
      ([source, substr, repl]) => str(source!, 'text.replace_all')
        .split(str(substr!, 'text.replace_all'))
        .join(str(repl!, 'text.replace_all')))],
    ['text.to_lower', plain(['source'], 1, ([source]) =>
      str(source!, 'text.to_lower').toLowerCase())],
    ['text.to_upper', plain(['source'], 1, ([source]) =>
      str(source!, 'text.to_upper').toUpperCase())],
    ['text.substring', plain(['source', 'start', 'end'], 3, substring)],
    ['map.get', plain(['map', 'keys'], 2, mapGet)],
    ['keys', plain(['map'], 1, ([map]) => [...asMap(map!, 'keys').keys()])],
    ['len', plain(['value'], 1, ([value]) => length(value!))],
    ['string', plain(['value'], 1, ([value]) => toText(value!))],
    ['int', plain(['value'], 1, ([value]) => toInteger(value!))],
    ['double', plain(['value'], 1, ([value]) => toDoubleValue(value!))],
    ['default', plain(['value', 'default_value'], 2, ([value, fallback]) =>
      value === null ? fallback! : value!)],
    ['get_type', plain(['value'], 1, ([value]) => typeName(value!))],
    ['list.concat', plain(['objs', 'val'], 2, ([list, value]) => {
      if (!Array.isArray(list)) throw wrongType('list.concat', 'list', list!);
      return [...list, value!];
    })],
    ['http.default_retry_predicate', plain(['e'], 1, ([error]) =>
      isRetryable(error!, [429n, 502n, 503n, 504n],
        ['ConnectionError', 'ConnectionFailedError', 'TimeoutError']))],
    ['http.default_retry_predicate_non_idempotent', plain(['e'], 1,
      ([error]) => isRetryable(error!, [429n, 503n],
        ['ConnectionFailedError']))],
    ['events.create_callback_endpoint',
      blocking(['http_callback_method'], 0, ([method], site) =>
        mapOf({url: site.services.createCallbackEndpoint(
          method === undefined || method === null
            ? 'POST' : str(method, 'http_callback_method'))}))],
    ['events.await_callback', blocking(['callback', 'timeout'], 1,
      awaitCallback)],
    ['googleapis.pubsub.v1.projects.topics.publish',
      blocking(['topic', 'body'], 2, publish)],
  ]);

async function sleep(
  [seconds]: Args,
  site: CallSite,
): Promise<WorkflowValue> {
  if (!isNumber(seconds!)) throw wrongType('sys.sleep', 'number', seconds!);
  const value = toDouble(seconds);
  if (value < 0 || value > MAX_SLEEP_SECONDS) {
    throw runtimeError(
      'ValueError',
      `sys.sleep seconds must be within [0, ${MAX_SLEEP_SECONDS}], ` +
        `got ${value}`,
    );
  }
  const now = site.services.nowSeconds();
  await site.services.sleepUntilMs((now + value) * 1000);
  return null;
}

async function sleepUntil(
  [time]: Args,
  site: CallSite,
): Promise<WorkflowValue> {
  const instantSeconds = parseTime(time!);
  await site.services.sleepUntilMs(instantSeconds * 1000);
  return null;
}

function log(
  [data, severity, textValue, json]: Args,
  site: CallSite,
): WorkflowValue {
  const level = severity === undefined || severity === null
    ? 'DEFAULT' : str(severity, 'sys.log severity');
  const payload = [data, textValue, json].find(
    (value) => value !== undefined && value !== null,
  );
  site.services.log(level, toPlain(payload ?? null));
  return null;
}

function formatTime(
  [seconds, timezone]: Args,
  site: CallSite,
): WorkflowValue {
  if (!isNumber(seconds!)) throw wrongType('time.format', 'number', seconds!);
  if (timezone !== undefined && timezone !== null && timezone !== 'UTC') {
    throw new UnsupportedConstructError(
      `time.format with timezone ${String(timezone)}`,
      site.stepName,
    );
  }
  return new Date(toDouble(seconds) * 1000).toISOString();
}

/** Parses an RFC 3339 time (with an offset) into epoch seconds. */
export function parseTime(value: WorkflowValue): number {
  const match = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (match === null) {
    throw runtimeError(
      'ValueError',
      `expected an RFC 3339 time with an offset, got ${JSON.stringify(
        toPlain(value),
      )}`,
    );
  }
  const wholeMs = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(wholeMs)) {
    throw runtimeError('ValueError', `invalid time ${String(value)}`);
  }
  return wholeMs / 1000 + Number(`0${match[2] ?? ''}`);
}

function base64Encode([data]: Args): WorkflowValue {
  if (!(data instanceof Uint8Array)) {
    throw wrongType('base64.encode', 'bytes', data!);
  }
  return Buffer.from(data).toString('base64');
}

function base64Decode([data]: Args): WorkflowValue {
  const source = str(data!, 'base64.decode');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(source)) {
    throw runtimeError('ValueError', 'base64.decode: not base64 text');
  }
  return new Uint8Array(Buffer.from(source, 'base64'));
}

function substring(
  [source, start, end]: Args,
): WorkflowValue {
  const characters = [...str(source!, 'text.substring')];
  if (typeof start !== 'bigint' || typeof end !== 'bigint') {
    throw runtimeError('TypeError', 'text.substring needs integer bounds');
  }
  return characters.slice(Number(start), Number(end)).join('');
}

function mapGet([map, keys]: Args): WorkflowValue {
  const path = Array.isArray(keys) ? keys : [keys!];
  let current: WorkflowValue = asMap(map!, 'map.get');
  for (const key of path) {
    if (!isMap(current)) return null;
    const name = str(key, 'map.get key');
    if (!current.has(name)) return null;
    current = current.get(name)!;
  }
  return current;
}

function length(value: WorkflowValue): WorkflowValue {
  if (typeof value === 'string') return BigInt([...value].length);
  if (Array.isArray(value)) return BigInt(value.length);
  if (isMap(value)) return BigInt(value.size);
  if (value instanceof Uint8Array) return BigInt(value.length);
  throw wrongType('len', 'string, list, map or bytes', value);
}

function toText(value: WorkflowValue): WorkflowValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatDouble(value);
  if (typeof value === 'boolean') return String(value);
  throw wrongType('string', 'string, number or boolean', value);
}

function toInteger(value: WorkflowValue): WorkflowValue {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return BigInt(Math.trunc(value));
  }
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) {
    return BigInt(value.trim());
  }
  throw runtimeError(
    'ValueError',
    `int() cannot convert ${JSON.stringify(toPlain(value))}`,
  );
}

function toDoubleValue(value: WorkflowValue): WorkflowValue {
  if (isNumber(value)) return toDouble(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw runtimeError(
    'ValueError',
    `double() cannot convert ${JSON.stringify(toPlain(value))}`,
  );
}

function isRetryable(
  error: WorkflowValue,
  codes: readonly bigint[],
  tags: readonly string[],
): boolean {
  if (!isMap(error)) return false;
  const code = error.get('code');
  if (typeof code === 'bigint' && codes.includes(code)) return true;
  const errorTags = error.get('tags');
  return Array.isArray(errorTags) &&
    errorTags.some((tag) => typeof tag === 'string' && tags.includes(tag));
}

async function awaitCallback(
  [callback, timeout]: Args,
  site: CallSite,
): Promise<WorkflowValue> {
  const url = asMap(callback!, 'events.await_callback callback').get('url');
  if (typeof url !== 'string') {
    throw runtimeError('TypeError', 'events.await_callback: callback.url');
  }
  let timeoutSeconds = DEFAULT_CALLBACK_TIMEOUT_SECONDS;
  if (timeout !== undefined && timeout !== null) {
    if (!isNumber(timeout)) {
      throw wrongType('events.await_callback timeout', 'number', timeout);
    }
    timeoutSeconds = toDouble(timeout);
  }
  return site.services.awaitCallback(url, Math.max(0, timeoutSeconds));
}

async function publish(
  [topic, body]: Args,
  site: CallSite,
): Promise<WorkflowValue> {
  const topicPath = str(topic!, 'publish topic');
  if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topicPath)) {
    throw runtimeError(
      'ValueError',
      `publish topic must be projects/P/topics/T, got ${topicPath}`,
    );
  }
  const messages = asMap(body!, 'publish body').get('messages');
  if (!Array.isArray(messages) || messages.length === 0) {
    throw runtimeError('ValueError', 'publish body.messages must be a list');
  }
  const ids = await site.services.publish(
    topicPath,
    messages.map(toPublishedMessage),
  );
  return mapOf({messageIds: ids});
}

function toPublishedMessage(message: WorkflowValue): PublishedMessage {
  const fields = asMap(message, 'publish message');
  const data = str(fields.get('data') ?? null, 'publish message data');
  const attributes: Record<string, string> = {};
  const given = fields.get('attributes');
  if (given !== undefined && given !== null) {
    for (const [key, value] of asMap(given, 'publish attributes')) {
      attributes[key] = str(value, `publish attribute ${key}`);
    }
  }
  return {data, attributes};
}

function text(value: WorkflowValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return str(value, 'text');
}

function str(value: WorkflowValue, where: string): string {
  if (typeof value !== 'string') throw wrongType(where, 'string', value);
  return value;
}

function asMap(value: WorkflowValue, where: string): WorkflowMap {
  if (!isMap(value)) throw wrongType(where, 'map', value);
  return value;
}

function wrongType(
  where: string,
  expected: string,
  value: WorkflowValue,
): Error {
  return runtimeError(
    'TypeError',
    `${where} expects a ${expected}, got ${typeName(value)}`,
  );
}
