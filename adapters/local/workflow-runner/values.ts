/**
 * The value model of the Workflows language as the local runner holds it.
 *
 * Integers and doubles are distinct types in Workflows (`/` gives a double,
 * `//` an integer, `string(3)` is "3"), so integers are JS `bigint` (64-bit
 * range enforced) and doubles are JS `number`. Maps keep insertion order.
 */
export type WorkflowValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | WorkflowValue[]
  | WorkflowMap;

/** A Workflows map: string keys, insertion order kept. */
export type WorkflowMap = Map<string, WorkflowValue>;

/** The type names `get_type` reports. */
export type WorkflowTypeName =
  | 'null'
  | 'boolean'
  | 'integer'
  | 'double'
  | 'string'
  | 'bytes'
  | 'list'
  | 'map';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether `value` fits the 64-bit integer range of Workflows. */
export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** The Workflows type name of a value. */
export function typeName(value: WorkflowValue): WorkflowTypeName {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  return 'map';
}

/** Whether a value is a Workflows map. */
export function isMap(value: WorkflowValue): value is WorkflowMap {
  return value instanceof Map;
}

/** Whether a value is an integer or a double. */
export function isNumber(value: WorkflowValue): value is bigint | number {
  return typeof value === 'bigint' || typeof value === 'number';
}

/** A number as a JS double, whatever its Workflows type. */
export function toDouble(value: bigint | number): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Builds a map from plain entries. */
export function mapOf(entries: Record<string, WorkflowValue>): WorkflowMap {
  return new Map(Object.entries(entries));
}

/** A deep copy: assignment in Workflows copies values. */
export function copyValue(value: WorkflowValue): WorkflowValue {
  if (Array.isArray(value)) return value.map(copyValue);
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [k, copyValue(v)]));
  }
  if (value instanceof Uint8Array) return value.slice();
  return value;
}

/** Deep equality; an integer equals a double of the same value. */
export function valuesEqual(
  left: WorkflowValue,
  right: WorkflowValue,
): boolean {
  if (isNumber(left) && isNumber(right)) {
    if (typeof left === 'bigint' && typeof right === 'bigint') {
      return left === right;
    }
    return toDouble(left) === toDouble(right);
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length &&
      left.every((item, index) => valuesEqual(item, right[index] ?? null))
    );
  }
  if (left instanceof Map && right instanceof Map) {
    if (left.size !== right.size) return false;
    return [...left].every(
      ([key, item]) => right.has(key) && valuesEqual(item, right.get(key)!),
    );
  }
  if (left instanceof Uint8Array && right instanceof Uint8Array) {
    return Buffer.from(left).equals(Buffer.from(right));
  }
  return left === right;
}

/**
 * Converts a plain JS value (as a connector or test returns it) into a
 * Workflows value; whole JS numbers become integers.
 */
export function fromPlain(value: unknown): WorkflowValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') {
    return new Map(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        fromPlain(v),
      ]),
    );
  }
  throw new TypeError(`cannot convert a ${typeof value} to a workflow value`);
}

/**
 * Converts a Workflows value into plain JSON-compatible JS (integers become
 * numbers, bytes become base64 text).
 */
export function toPlain(value: WorkflowValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const plain: Record<string, unknown> = {};
    for (const [key, item] of value) plain[key] = toPlain(item);
    return plain;
  }
  return value;
}
