import {WorkflowDefinitionError} from './workflow-errors.js';
import {isInt64} from './values.js';
import type {WorkflowValue} from './values.js';

/** A binary operator of the expression language. */
export type BinaryOperator =
  | 'or' | 'and' | 'in'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '//' | '%';

/** A parsed `${...}` expression. */
export type Expression =
  | {readonly kind: 'literal'; readonly value: WorkflowValue}
  | {readonly kind: 'variable'; readonly name: string}
  | {readonly kind: 'member'; readonly object: Expression; readonly key: string}
  | {
      readonly kind: 'index';
      readonly object: Expression;
      readonly index: Expression;
    }
  | {
      readonly kind: 'call';
      readonly functionName: string;
      readonly args: readonly Expression[];
    }
  | {
      readonly kind: 'unary';
      readonly operator: '-' | 'not';
      readonly operand: Expression;
    }
  | {
      readonly kind: 'binary';
      readonly operator: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
    }
  | {readonly kind: 'list'; readonly items: readonly Expression[]}
  | {
      readonly kind: 'map';
      readonly entries: readonly (readonly [string, Expression])[];
    };

interface Token {
  readonly kind: 'number' | 'string' | 'name' | 'symbol' | 'end';
  readonly text: string;
  readonly offset: number;
}

const TOKEN_PATTERN = new RegExp(
  [
    '(?<space>\\s+)',
    '(?<number>\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)',
    '(?<string>"(?:[^"\\\\]|\\\\.)*")',
    '(?<name>[A-Za-z_][A-Za-z0-9_]*)',
    '(?<symbol>//|==|!=|<=|>=|[-+*/%<>()[\\]{},.:])',
  ].join('|'),
  'y',
);

// Operator precedence, loosest first; `in` sits with the comparisons.
const PRECEDENCE: readonly (readonly BinaryOperator[])[] = [
  ['or'],
  ['and'],
  ['==', '!=', '<', '<=', '>', '>=', 'in'],
  ['+', '-'],
  ['*', '/', '//', '%'],
];
const NOT_LEVEL = 2;

/**
 * Parses the text between `${` and `}`.
 *
 * @param source - the expression text, without the `${` `}` delimiters
 * @returns the expression tree
 * @throws WorkflowDefinitionError when the text is not a valid expression
 */
export function parseExpression(source: string): Expression {
  const parser = new Parser(source, tokenize(source));
  const expression = parser.parseLevel(0);
  parser.expectEnd();
  return expression;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  while (offset < source.length) {
    TOKEN_PATTERN.lastIndex = offset;
    const match = TOKEN_PATTERN.exec(source);
    if (match === null || match.groups === undefined) {
      throw invalid(source, offset, 'unexpected character');
    }
    const [kind, text] = Object.entries(match.groups).find(
      ([, value]) => value !== undefined,
    ) as [Token['kind'] | 'space', string];
    if (kind !== 'space') tokens.push({kind, text, offset});
    offset += text.length;
  }
  tokens.push({kind: 'end', text: '', offset});
  return tokens;
}

function invalid(source: string, offset: number, what: string): Error {
  return new WorkflowDefinitionError(
    `expression "\${${source}}" is invalid at offset ${offset}: ${what}`,
  );
}

class Parser {
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  expectEnd(): void {
    if (this.peek().kind !== 'end') this.fail('unexpected token');
  }

  // Parses binary operators of one precedence level and tighter.
  parseLevel(level: number): Expression {
    if (level === NOT_LEVEL && this.acceptName('not')) {
      return {kind: 'unary', operator: 'not', operand: this.parseLevel(level)};
    }
    if (level >= PRECEDENCE.length) return this.parseUnary();
    let left = this.parseLevel(level + 1);
    for (;;) {
      const operator = this.peekOperator(PRECEDENCE[level]!);
      if (operator === null) return left;
      this.position++;
      const right = this.parseLevel(level + 1);
      left = {kind: 'binary', operator, left, right};
    }
  }

  private parseUnary(): Expression {
    if (this.acceptSymbol('-')) {
      return {kind: 'unary', operator: '-', operand: this.parseUnary()};
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: Expression): Expression {
    let expression = start;
    for (;;) {
      if (this.acceptSymbol('.')) {
        const key = this.next();
        if (key.kind !== 'name') this.fail('expected a key after "."');
        expression = {kind: 'member', object: expression, key: key.text};
      } else if (this.acceptSymbol('[')) {
        const index = this.parseLevel(0);
        this.expectSymbol(']');
        expression = {kind: 'index', object: expression, index};
      } else if (this.peek().text === '(' && this.peek().kind === 'symbol') {
        const functionName = dottedName(expression);
        if (functionName === null) this.fail('only named functions are called');
        this.position++;
        const args = this.parseList(')');
        expression = {kind: 'call', functionName, args};
      } else {
        return expression;
      }
    }
  }

  private parsePrimary(): Expression {
    const token = this.next();
    if (token.kind === 'number') return {kind: 'literal', value: number(token)};
    if (token.kind === 'string') {
      return {kind: 'literal', value: JSON.parse(token.text) as string};
    }
    if (token.kind === 'name') return nameExpression(token.text);
    if (token.text === '(') {
      const inner = this.parseLevel(0);
      this.expectSymbol(')');
      return inner;
    }
    if (token.text === '[') return {kind: 'list', items: this.parseList(']')};
    if (token.text === '{') return this.parseMap();
    return this.fail('expected a value');
  }

  private parseMap(): Expression {
    const entries: (readonly [string, Expression])[] = [];
    while (!this.acceptSymbol('}')) {
      if (entries.length > 0) this.expectSymbol(',');
      const key = this.next();
      if (key.kind !== 'string') this.fail('map keys are quoted strings');
      this.expectSymbol(':');
      entries.push([JSON.parse(key.text) as string, this.parseLevel(0)]);
    }
    return {kind: 'map', entries};
  }

  private parseList(closing: string): Expression[] {
    const items: Expression[] = [];
    while (!this.acceptSymbol(closing)) {
      if (items.length > 0) this.expectSymbol(',');
      items.push(this.parseLevel(0));
    }
    return items;
  }

  private peekOperator(
    operators: readonly BinaryOperator[],
  ): BinaryOperator | null {
    const token = this.peek();
    if (token.kind !== 'symbol' && token.kind !== 'name') return null;
    const found = operators.find((operator) => operator === token.text);
    return found ?? null;
  }

  private acceptSymbol(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== text) return false;
    this.position++;
    return true;
  }

  private acceptName(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'name' || token.text !== text) return false;
    this.position++;
    return true;
  }

  private expectSymbol(text: string): void {
    if (!this.acceptSymbol(text)) this.fail(`expected "${text}"`);
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private fail(what: string): never {
    throw invalid(this.source, this.peek().offset, what);
  }
}

function number(token: Token): WorkflowValue {
  if (/^\d+$/.test(token.text)) {
    const integer = BigInt(token.text);
    if (isInt64(integer)) return integer;
  }
  return Number(token.text);
}

function nameExpression(name: string): Expression {
  if (name === 'true') return {kind: 'literal', value: true};
  if (name === 'false') return {kind: 'literal', value: false};
  if (name === 'null') return {kind: 'literal', value: null};
  return {kind: 'variable', name};
}

// `a.b.c` as "a.b.c" when the expression is a chain of plain names.
function dottedName(expression: Expression): string | null {
  if (expression.kind === 'variable') return expression.name;
  if (expression.kind !== 'member') return null;
  const head = dottedName(expression.object);
  return head === null ? null : `${head}.${expression.key}`;
}
