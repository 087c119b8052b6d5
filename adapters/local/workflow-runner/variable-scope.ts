import {runtimeError} from './workflow-errors.js';
import type {WorkflowValue} from './values.js';

/**
 * The variables of one (sub)workflow call. A subworkflow sees only its
 * own; a `for` iteration pushes a scope whose new variables vanish when
 * the iteration ends, while assignments to outer variables persist.
 */
export class VariableScope {
  private readonly scopes: Map<string, WorkflowValue>[] = [new Map()];

  /** A variable's value; a KeyError when it is not defined. */
  lookup(name: string): WorkflowValue {
    for (let index = this.scopes.length - 1; index >= 0; index--) {
      const scope = this.scopes[index]!;
      if (scope.has(name)) return scope.get(name)!;
    }
    throw runtimeError('KeyError', `variable not defined: ${name}`);
  }

  /** Sets an existing variable where it lives, or a new one innermost. */
  assign(name: string, value: WorkflowValue): void {
    for (let index = this.scopes.length - 1; index >= 0; index--) {
      const scope = this.scopes[index]!;
      if (scope.has(name)) {
        scope.set(name, value);
        return;
      }
    }
    this.defineLocal(name, value);
  }

  /** Defines a variable in the innermost scope (loop variables). */
  defineLocal(name: string, value: WorkflowValue): void {
    this.scopes[this.scopes.length - 1]!.set(name, value);
  }

  push(): void {
    this.scopes.push(new Map());
  }

  pop(): void {
    if (this.scopes.length > 1) this.scopes.pop();
  }

  /** Every variable's value, for the size limit. */
  values(): WorkflowValue[] {
    return this.scopes.flatMap((scope) => [...scope.values()]);
  }
}

/** Roughly the bytes a value takes, as its JSON text would. */
export function measureBytes(value: WorkflowValue): number {
  if (value === null) return 4;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'bigint' || typeof value === 'number') {
    return String(value).length;
  }
  if (typeof value === 'string') return Buffer.byteLength(value) + 2;
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, item) => sum + measureBytes(item) + 1, 2);
  }
  let total = 2;
  for (const [key, item] of value) {
    total += Buffer.byteLength(key) + 4 + measureBytes(item);
  }
  return total;
}
