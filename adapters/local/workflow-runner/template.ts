import {evaluate} from './expression-evaluator.js';
import type {EvaluationContext} from './expression-evaluator.js';
import {parseExpression} from './expression-parser.js';
import type {Expression} from './expression-parser.js';
import {WorkflowDefinitionError} from './workflow-errors.js';
import type {WorkflowValue} from './values.js';

const parsedExpressions = new Map<string, Expression>();

/**
 * The expression of a YAML string that is wholly `${...}`, or null for a
 * plain string. A `${` anywhere else is refused: the runner does not
 * interpolate inside strings.
 *
 * @param text - a YAML string value
 * @throws WorkflowDefinitionError for a partial or unbalanced `${`
 */
export function expressionOf(text: string): Expression | null {
  const whole = /^\$\{([\s\S]*)\}$/.exec(text);
  if (whole === null) {
    if (text.includes('${')) {
      throw new WorkflowDefinitionError(
        `"${text}" embeds \${...} in a longer string; an expression must ` +
          'be the whole value (build strings with +)',
      );
    }
    return null;
  }
  const source = whole[1]!;
  let expression = parsedExpressions.get(source);
  if (expression === undefined) {
    expression = parseExpression(source);
    parsedExpressions.set(source, expression);
  }
  return expression;
}

/**
 * Evaluates a YAML node: `${...}` strings are expressions, lists and maps
 * are evaluated member by member, other scalars are literals.
 *
 * @param node - the YAML value (parsed with integers as bigint)
 * @param context - variables and functions in reach
 */
export function evaluateTemplate(
  node: unknown,
  context: EvaluationContext,
): WorkflowValue {
  if (typeof node === 'string') {
    const expression = expressionOf(node);
    return expression === null ? node : evaluate(expression, context);
  }
  if (Array.isArray(node)) {
    return node.map((item: unknown) => evaluateTemplate(item, context));
  }
  if (typeof node === 'object' && node !== null) {
    return new Map(
      Object.entries(node).map(([key, item]) => [
        key,
        evaluateTemplate(item, context),
      ]),
    );
  }
  return literalFromYaml(node);
}

/** A YAML scalar as a value: bigint stays integer, number is a double. */
export function literalFromYaml(node: unknown): WorkflowValue {
  if (node === null || node === undefined) return null;
  if (
    typeof node === 'boolean' ||
    typeof node === 'bigint' ||
    typeof node === 'number' ||
    typeof node === 'string'
  ) {
    return node;
  }
  throw new WorkflowDefinitionError(
    `a YAML value of type ${typeof node} cannot be a workflow value`,
  );
}
