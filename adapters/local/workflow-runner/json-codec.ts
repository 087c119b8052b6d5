import {runtimeError} from './workflow-errors.js';
import {isInt64} from './values.js';
import type {WorkflowValue} from './values.js';

/**
 * Formats a double as Workflows text: a whole double keeps a ".0" so it
 * stays distinguishable from an integer ("3.0", never "3").
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) {
    throw runtimeError('ValueError', `${value} cannot be represented`);
  }
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** Encodes a value as JSON text; bytes are refused, as in Workflows. */
export function encodeJson(value: WorkflowValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatDouble(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) {
    throw runtimeError('TypeError', 'bytes cannot be encoded as JSON');
  }
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  const members = [...value].map(
    ([key, item]) => `${JSON.stringify(key)}:${encodeJson(item)}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * Decodes JSON text. A number without fraction or exponent becomes an
 * integer (a double when outside the 64-bit range), any other a double.
 */
export function decodeJson(text: string): WorkflowValue {
  const reader = new JsonReader(text);
  const value = reader.readValue();
  reader.expectEnd();
  return value;
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_PATTERN =
  /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

// A small recursive-descent JSON reader that keeps integer and double apart.
class JsonReader {
  private position = 0;

  constructor(private readonly text: string) {}

  readValue(): WorkflowValue {
    this.skipSpace();
    const char = this.text[this.position];
    if (char === '{') return this.readObject();
    if (char === '[') return this.readArray();
    if (char === '"') return this.readString();
    if (this.readWord('true')) return true;
    if (this.readWord('false')) return false;
    if (this.readWord('null')) return null;
    return this.readNumber();
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.position < this.text.length) this.fail('unexpected text');
  }

  private readObject(): WorkflowValue {
    const map = new Map<string, WorkflowValue>();
    this.position++;
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position++;
      return map;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== '"') this.fail('expected a key');
      const key = this.readString();
      this.skipSpace();
      this.expectChar(':');
      map.set(key, this.readValue());
      this.skipSpace();
      if (this.text[this.position] === '}') break;
      this.expectChar(',');
    }
    this.position++;
    return map;
  }

  private readArray(): WorkflowValue {
    const list: WorkflowValue[] = [];
    this.position++;
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position++;
      return list;
    }
    for (;;) {
      list.push(this.readValue());
      this.skipSpace();
      if (this.text[this.position] === ']') break;
      this.expectChar(',');
    }
    this.position++;
    return list;
  }

  private readString(): string {
    const match = this.matchAt(STRING_PATTERN);
    if (match === null) this.fail('malformed string');
    return JSON.parse(match) as string;
  }

  private readNumber(): WorkflowValue {
    NUMBER_PATTERN.lastIndex = this.position;
    const match = NUMBER_PATTERN.exec(this.text);
    if (match === null) this.fail('unexpected character');
    this.position += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const integer = BigInt(match[0]);
      return isInt64(integer) ? integer : Number(match[0]);
    }
    return Number(match[0]);
  }

  private matchAt(pattern: RegExp): string | null {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text);
    if (match === null) return null;
    this.position += match[0].length;
    return match[0];
  }

  private readWord(word: string): boolean {
    if (!this.text.startsWith(word, this.position)) return false;
    this.position += word.length;
    return true;
  }

  private expectChar(char: string): void {
    if (this.text[this.position] !== char) this.fail(`expected "${char}"`);
    this.position++;
  }

  private skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.position] ?? '')) this.position++;
  }

  private fail(what: string): never {
    throw runtimeError(
      'ValueError',
      `invalid JSON at offset ${this.position}: ${what}`,
    );
  }
}
