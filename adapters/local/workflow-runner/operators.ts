import {runtimeError} from './workflow-errors.js';
import {isInt64, isMap, isNumber, toDouble, typeName, valuesEqual} from
  './values.js';
import type {WorkflowValue} from './values.js';
import type {BinaryOperator} from './expression-parser.js';

/**
 * Applies a binary operator with the runner's Workflows semantics: no
 * implicit coercion (`"a" + 1` is a TypeError), `/` always a double, `//`
 * and `%` floored, integer overflow a ValueError.
 */
export function applyBinary(
  operator: Exclude<BinaryOperator, 'and' | 'or'>,
  left: WorkflowValue,
  right: WorkflowValue,
): WorkflowValue {
  switch (operator) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(operator, left, right);
    case 'in':
      return contains(left, right);
    case '+':
      return add(left, right);
    default:
      return arithmetic(operator, left, right);
  }
}

/** Unary minus and `not`. */
export function applyUnary(
  operator: '-' | 'not',
  operand: WorkflowValue,
): WorkflowValue {
  if (operator === 'not') {
    if (typeof operand !== 'boolean') throw mismatch('not', operand);
    return !operand;
  }
  if (typeof operand === 'bigint') return checked(-operand);
  if (typeof operand === 'number') return -operand;
  throw mismatch('-', operand);
}

/** Requires a boolean operand of `and` / `or` / a condition. */
export function requireBoolean(
  value: WorkflowValue,
  where: string,
): boolean {
  if (typeof value !== 'boolean') {
    throw runtimeError(
      'TypeError',
      `${where} needs a boolean, got ${typeName(value)}`,
    );
  }
  return value;
}

function add(left: WorkflowValue, right: WorkflowValue): WorkflowValue {
  if (typeof left === 'string' && typeof right === 'string') {
    return left + right;
  }
  if (isNumber(left) && isNumber(right)) {
    if (typeof left === 'bigint' && typeof right === 'bigint') {
      return checked(left + right);
    }
    return toDouble(left) + toDouble(right);
  }
  throw mismatch('+', left, right);
}

function arithmetic(
  operator: '-' | '*' | '/' | '//' | '%',
  left: WorkflowValue,
  right: WorkflowValue,
): WorkflowValue {
  if (!isNumber(left) || !isNumber(right)) {
    throw mismatch(operator, left, right);
  }
  const bothIntegers = typeof left === 'bigint' && typeof right === 'bigint';
  if (operator === '-' || operator === '*') {
    if (bothIntegers) {
      return checked(operator === '-' ? left - right : left * right);
    }
    const [a, b] = [toDouble(left), toDouble(right)];
    return operator === '-' ? a - b : a * b;
  }
  if (toDouble(right) === 0) {
    throw runtimeError('ZeroDivisionError', `division by zero (${operator})`);
  }
  if (operator === '/') return toDouble(left) / toDouble(right);
  if (bothIntegers) {
    const quotient = floorDivide(left, right);
    return operator === '//' ? checked(quotient) : left - quotient * right;
  }
  const [a, b] = [toDouble(left), toDouble(right)];
  const floored = Math.floor(a / b);
  if (operator === '//') return checked(BigInt(floored));
  return a - floored * b;
}

function floorDivide(left: bigint, right: bigint): bigint {
  const quotient = left / right;
  const inexact = quotient * right !== left;
  return inexact && left < 0n !== right < 0n ? quotient - 1n : quotient;
}

function compare(
  operator: '<' | '<=' | '>' | '>=',
  left: WorkflowValue,
  right: WorkflowValue,
): boolean {
  let order: number;
  if (isNumber(left) && isNumber(right)) {
    order = toDouble(left) - toDouble(right);
    if (typeof left === 'bigint' && typeof right === 'bigint') {
      order = left < right ? -1 : left > right ? 1 : 0;
    }
  } else if (typeof left === 'string' && typeof right === 'string') {
    order = left < right ? -1 : left > right ? 1 : 0;
  } else {
    throw mismatch(operator, left, right);
  }
  if (operator === '<') return order < 0;
  if (operator === '<=') return order <= 0;
  if (operator === '>') return order > 0;
  return order >= 0;
}

function contains(item: WorkflowValue, container: WorkflowValue): boolean {
  if (Array.isArray(container)) {
    return container.some((element) => valuesEqual(element, item));
  }
  if (isMap(container)) {
    if (typeof item !== 'string') throw mismatch('in', item, container);
    return container.has(item);
  }
  throw runtimeError(
    'TypeError',
    `the right side of "in" must be a list or a map, got ` +
      typeName(container),
  );
}

function checked(value: bigint): bigint {
  if (!isInt64(value)) {
    throw runtimeError('ValueError', 'integer overflow (64-bit range)');
  }
  return value;
}

function mismatch(operator: string, ...operands: WorkflowValue[]): Error {
  const types = operands.map(typeName).join(' and ');
  return runtimeError(
    'TypeError',
    `unsupported operand type(s) for "${operator}": ${types}`,
  );
}
