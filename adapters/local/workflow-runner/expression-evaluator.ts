import {runtimeError} from './workflow-errors.js';
import {applyBinary, applyUnary, requireBoolean} from './operators.js';
import {isMap, typeName} from './values.js';
import type {WorkflowValue} from './values.js';
import type {Expression} from './expression-parser.js';

/** What an expression can reach: variables and non-blocking functions. */
export interface EvaluationContext {
  /** A variable's value; raises a KeyError when it is not defined. */
  lookup(name: string): WorkflowValue;
  /** Calls a standard-library function from inside an expression. */
  callFunction(name: string, args: WorkflowValue[]): WorkflowValue;
}

/**
 * Evaluates an expression tree.
 *
 * @param expression - the parsed expression
 * @param context - variables and functions in reach
 * @returns the value
 */
export function evaluate(
  expression: Expression,
  context: EvaluationContext,
): WorkflowValue {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'variable':
      return context.lookup(expression.name);
    case 'member':
      return readKey(evaluate(expression.object, context), expression.key);
    case 'index':
      return readIndex(
        evaluate(expression.object, context),
        evaluate(expression.index, context),
      );
    case 'call':
      return context.callFunction(
        expression.functionName,
        expression.args.map((arg) => evaluate(arg, context)),
      );
    case 'unary':
      return applyUnary(
        expression.operator,
        evaluate(expression.operand, context),
      );
    case 'list':
      return expression.items.map((item) => evaluate(item, context));
    case 'map':
      return new Map(
        expression.entries.map(([key, item]) => [key, evaluate(item, context)]),
      );
    case 'binary':
      return evaluateBinary(expression, context);
  }
}

function evaluateBinary(
  expression: Extract<Expression, {kind: 'binary'}>,
  context: EvaluationContext,
): WorkflowValue {
  const {operator} = expression;
  if (operator === 'and' || operator === 'or') {
    const left = requireBoolean(evaluate(expression.left, context), operator);
    if (operator === 'and' ? !left : left) return left;
    return requireBoolean(evaluate(expression.right, context), operator);
  }
  return applyBinary(
    operator,
    evaluate(expression.left, context),
    evaluate(expression.right, context),
  );
}

/** `map.key`: a missing key raises a KeyError. */
export function readKey(container: WorkflowValue, key: string): WorkflowValue {
  if (!isMap(container)) {
    throw runtimeError(
      'TypeError',
      `cannot read key "${key}" of a ${typeName(container)}`,
    );
  }
  if (!container.has(key)) {
    throw runtimeError('KeyError', `key not found: ${key}`);
  }
  return container.get(key)!;
}

/** `list[i]` or `map["key"]`. */
export function readIndex(
  container: WorkflowValue,
  index: WorkflowValue,
): WorkflowValue {
  if (isMap(container) && typeof index === 'string') {
    return readKey(container, index);
  }
  if (Array.isArray(container) && typeof index === 'bigint') {
    const position = Number(index);
    if (position < 0 || position >= container.length) {
      throw runtimeError('IndexError', `list index out of range: ${index}`);
    }
    return container[position]!;
  }
  throw runtimeError(
    'TypeError',
    `cannot index a ${typeName(container)} with a ${typeName(index)}`,
  );
}
