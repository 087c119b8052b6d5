import type {EvaluationContext} from './expression-evaluator.js';
import {evaluate, readIndex, readKey} from './expression-evaluator.js';
import {parseExpression} from './expression-parser.js';
import type {Expression} from './expression-parser.js';
import {readRetryPolicy, retryDelaySeconds} from './retry-policy.js';
import type {RetryPolicy} from './retry-policy.js';
import {STANDARD_LIBRARY} from './standard-library.js';
import type {LibraryFunction, RuntimeServices} from './standard-library.js';
import {evaluateTemplate} from './template.js';
import {VariableScope, measureBytes} from './variable-scope.js';
import {
  UnsupportedConstructError,
  WorkflowDefinitionError,
  WorkflowRaise,
  runtimeError,
} from './workflow-errors.js';
import {isRecord, readSteps} from './workflow-program.js';
import type {
  StepEntry,
  WorkflowDefinition,
  WorkflowProgram,
} from './workflow-program.js';
import {copyValue, isMap, isNumber, toDouble, typeName} from './values.js';
import type {WorkflowValue} from './values.js';

/** Limits of one execution. */
export interface ExecutionLimits {
  /** The service's limit on an execution's variables: 512 KB. */
  readonly variableBytes: number;
  /** Steps one execution may run before a ResourceLimitError. */
  readonly steps: number;
  /** Nested subworkflow calls before a RecursionError. */
  readonly callDepth: number;
}

/** The service's variable limit and the runner's safety bounds. */
export const DEFAULT_LIMITS: ExecutionLimits = {
  variableBytes: 512 * 1024,
  steps: 100_000,
  callDepth: 50,
};

// How a step list ends: fall through, jump, leave a loop, or return.
type Flow =
  | {readonly kind: 'next'}
  | {readonly kind: 'jump'; readonly target: string}
  | {readonly kind: 'break'}
  | {readonly kind: 'continue'}
  | {readonly kind: 'return'; readonly value: WorkflowValue};

const NEXT: Flow = {kind: 'next'};

// Keys a step may carry, and those that name its one action.
const STEP_KEYS = new Set([
  'assign', 'call', 'args', 'result', 'next', 'switch', 'for', 'raise',
  'try', 'retry', 'except', 'return', 'steps',
]);
const ACTION_KEYS = [
  'try', 'assign', 'call', 'switch', 'for', 'raise', 'return', 'steps',
] as const;

// One (sub)workflow call in progress.
interface Frame {
  readonly definition: WorkflowDefinition;
  readonly variables: VariableScope;
  readonly depth: number;
}

/**
 * Executes a loaded workflow program, one step at a time, with the
 * semantics the conformance tests pin down.
 */
export class Interpreter {
  private stepsRun = 0;
  private readonly stepLists = new WeakMap<object, StepEntry[]>();
  private readonly targets = new Map<string, Expression>();

  constructor(
    private readonly program: WorkflowProgram,
    private readonly services: RuntimeServices,
    private readonly limits: ExecutionLimits = DEFAULT_LIMITS,
    /** Aborted: the next step throws the abort reason instead of running. */
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Runs `main` with the execution argument.
   *
   * @returns what main returns (null for `next: end` or falling off)
   */
  async runMain(argument: WorkflowValue): Promise<WorkflowValue> {
    const main = this.program.definitions.get('main')!;
    const args = new Map<string, WorkflowValue>();
    const [param] = main.params;
    if (param !== undefined) args.set(param.name, argument);
    return this.callWorkflow(main, args, 0);
  }

  // Binds parameters (with defaults) and runs a definition's steps.
  private async callWorkflow(
    definition: WorkflowDefinition,
    args: ReadonlyMap<string, WorkflowValue>,
    depth: number,
  ): Promise<WorkflowValue> {
    if (depth > this.limits.callDepth) {
      throw runtimeError('RecursionError', `call depth over ${depth - 1}`);
    }
    const frame: Frame = {definition, variables: new VariableScope(), depth};
    for (const name of args.keys()) {
      if (!definition.params.some((param) => param.name === name)) {
        throw new WorkflowDefinitionError(
          `workflow "${definition.name}" has no parameter "${name}"; its ` +
            `parameters are ${paramNames(definition)}`,
        );
      }
    }
    for (const param of definition.params) {
      const value = args.has(param.name)
        ? args.get(param.name)!
        : param.defaultValue;
      if (value === undefined) {
        throw new WorkflowDefinitionError(
          `workflow "${definition.name}" needs the argument "${param.name}"`,
        );
      }
      frame.variables.assign(param.name, copyValue(value));
    }
    this.checkVariableSize(frame);
    const flow = await this.runSteps(definition.steps, frame);
    return this.finishCall(flow, definition);
  }

  private finishCall(flow: Flow, definition: WorkflowDefinition) {
    if (flow.kind === 'return') return flow.value;
    if (flow.kind === 'next') return null;
    const what = flow.kind === 'jump' ? `next: ${flow.target}` : flow.kind;
    throw new WorkflowDefinitionError(
      `"${what}" in workflow "${definition.name}" has no target: ` +
        'a next must name a step of the same workflow, and break or ' +
        'continue must sit inside a for loop',
    );
  }

  // Runs a step list; a jump to a step of this list moves within it.
  private async runSteps(
    steps: readonly StepEntry[],
    frame: Frame,
  ): Promise<Flow> {
    let index = 0;
    while (index < steps.length) {
      const flow = await this.runStep(steps[index]!, frame);
      if (flow.kind === 'next') {
        index++;
        continue;
      }
      if (flow.kind !== 'jump') return flow;
      const target = steps.findIndex((step) => step.name === flow.target);
      if (target < 0) return flow;
      index = target;
    }
    return NEXT;
  }

  // One step: its action, then its `next`.
  private async runStep(step: StepEntry, frame: Frame): Promise<Flow> {
    this.signal?.throwIfAborted();
    this.countStep(step);
    const action = this.actionOf(step);
    const flow = action === null ? NEXT : await this.runAction(
      action, step, frame);
    if (flow.kind !== 'next') return flow;
    return nextFlow(step.body['next'], step.name);
  }

  private async runAction(
    action: (typeof ACTION_KEYS)[number],
    step: StepEntry,
    frame: Frame,
  ): Promise<Flow> {
    const {body} = step;
    switch (action) {
      case 'try':
        return this.runTry(step, frame);
      case 'assign':
        this.runAssign(body['assign'], step, frame);
        return NEXT;
      case 'call':
        await this.runCall(step, frame);
        return NEXT;
      case 'switch':
        return this.runSwitch(step, frame);
      case 'for':
        return this.runFor(step, frame);
      case 'raise':
        throw new WorkflowRaise(this.evaluate(body['raise'], step, frame));
      case 'return':
        return {kind: 'return', value: this.evaluate(body['return'], step,
          frame)};
      case 'steps':
        return this.runSteps(this.stepList(body['steps'], step), frame);
    }
  }

  // Validates the keys and finds the one action of a step.
  private actionOf(step: StepEntry): (typeof ACTION_KEYS)[number] | null {
    for (const key of Object.keys(step.body)) {
      if (key === 'parallel') {
        throw new UnsupportedConstructError('parallel', step.name);
      }
      if (!STEP_KEYS.has(key)) {
        throw new WorkflowDefinitionError(
          `step "${step.name}" has the unknown key "${key}"; allowed are ` +
            [...STEP_KEYS].join(', '),
        );
      }
    }
    const actions = ACTION_KEYS.filter((key) => key in step.body);
    if (actions.length > 1) {
      throw new WorkflowDefinitionError(
        `step "${step.name}" combines ${actions.join(' and ')}; a step ` +
          'does one of them',
      );
    }
    return actions[0] ?? null;
  }

  // `assign`: a list of one-key maps, applied in order.
  private runAssign(node: unknown, step: StepEntry, frame: Frame): void {
    if (!Array.isArray(node)) {
      throw new WorkflowDefinitionError(
        `assign of step "${step.name}" must be a list of one-key maps`,
      );
    }
    for (const item of node as unknown[]) {
      const entries = isRecord(item) ? Object.entries(item) : [];
      const [entry] = entries;
      if (entries.length !== 1 || entry === undefined) {
        throw new WorkflowDefinitionError(
          `each assignment of step "${step.name}" must be a one-key map`,
        );
      }
      const value = copyValue(this.evaluate(entry[1], step, frame));
      this.assignTarget(entry[0], value, step, frame);
    }
  }

  // Assigns to `name`, `name.key`, `name["key"]` or `name[index]`.
  private assignTarget(
    targetText: string,
    value: WorkflowValue,
    step: StepEntry,
    frame: Frame,
  ): void {
    const target = this.targetOf(targetText, step);
    if (target.kind === 'variable') {
      frame.variables.assign(target.name, value);
    } else {
      const path = this.targetPath(target, step, frame);
      const container = path.slice(0, -1).reduce(
        (current, segment) => descend(current, segment),
        frame.variables.lookup(path.rootName),
      );
      writeMember(container, path.at(-1)!, value);
    }
    this.checkVariableSize(frame);
  }

  private targetOf(targetText: string, step: StepEntry): Expression {
    let target = this.targets.get(targetText);
    if (target === undefined) {
      target = parseExpression(targetText);
      this.targets.set(targetText, target);
    }
    if (!isTarget(target)) {
      throw new WorkflowDefinitionError(
        `"${targetText}" in step "${step.name}" cannot be assigned to`,
      );
    }
    return target;
  }

  // The segments from the root variable to the assigned member.
  private targetPath(
    target: Expression,
    step: StepEntry,
    frame: Frame,
  ): WorkflowValue[] & {rootName: string} {
    const segments: WorkflowValue[] = [];
    let current = target;
    while (current.kind === 'member' || current.kind === 'index') {
      segments.unshift(current.kind === 'member'
        ? current.key
        : this.evaluateExpression(current.index, step, frame));
      current = current.object;
    }
    const rootName = current.kind === 'variable' ? current.name : '';
    return Object.assign(segments, {rootName});
  }

  // `call`: a subworkflow or a library function, result optional.
  private async runCall(step: StepEntry, frame: Frame): Promise<void> {
    const {body} = step;
    const name = body['call'];
    if (typeof name !== 'string') {
      throw new WorkflowDefinitionError(
        `call of step "${step.name}" must name a function or subworkflow`,
      );
    }
    const argsNode = body['args'] ?? {};
    const args = this.evaluate(argsNode, step, frame);
    if (!isMap(args)) {
      throw new WorkflowDefinitionError(
        `args of step "${step.name}" must be a map`,
      );
    }
    const value = await this.invoke(name, args, step, frame);
    const result = body['result'];
    if (result === undefined) return;
    if (typeof result !== 'string' || !/^[A-Za-z_]\w*$/.test(result)) {
      throw new WorkflowDefinitionError(
        `result of step "${step.name}" must be a variable name`,
      );
    }
    frame.variables.assign(result, value);
    this.checkVariableSize(frame);
  }

  private async invoke(
    name: string,
    args: ReadonlyMap<string, WorkflowValue>,
    step: StepEntry,
    frame: Frame,
  ): Promise<WorkflowValue> {
    const definition = this.program.definitions.get(name);
    if (definition !== undefined && name !== 'main') {
      return this.callWorkflow(definition, args, frame.depth + 1);
    }
    const library = STANDARD_LIBRARY.get(name);
    if (library === undefined) {
      throw new UnsupportedConstructError(`call ${name}`, step.name);
    }
    const positional = library.params.map((param) => args.get(param));
    for (const key of args.keys()) {
      if (!library.params.includes(key)) {
        throw new WorkflowDefinitionError(
          `${name} in step "${step.name}" takes no argument "${key}"; it ` +
            `takes ${library.params.join(', ') || 'none'}`,
        );
      }
    }
    const missing = library.params
      .slice(0, library.required)
      .filter((param) => !args.has(param));
    if (missing.length > 0) {
      throw new WorkflowDefinitionError(
        `${name} in step "${step.name}" needs ${missing.join(', ')}`,
      );
    }
    return library.invoke(positional, {services: this.services,
      stepName: step.name});
  }

  // `switch`: the first true condition runs its body.
  private async runSwitch(step: StepEntry, frame: Frame): Promise<Flow> {
    const conditions = step.body['switch'];
    if (!Array.isArray(conditions)) {
      throw new WorkflowDefinitionError(
        `switch of step "${step.name}" must be a list of conditions`,
      );
    }
    for (const item of conditions as unknown[]) {
      if (!isRecord(item) || !('condition' in item)) {
        throw new WorkflowDefinitionError(
          `each entry of switch "${step.name}" needs a condition`,
        );
      }
      const test = this.evaluate(item['condition'], step, frame);
      if (typeof test !== 'boolean') {
        throw runtimeError(
          'TypeError',
          `switch condition in step "${step.name}" is a ${typeName(test)}, ` +
            'not a boolean',
        );
      }
      if (!test) continue;
      const {condition: _condition, ...rest} = item;
      if (Object.keys(rest).length === 0) return NEXT;
      return this.runStep({name: step.name, body: rest}, frame);
    }
    return NEXT;
  }

  // `for`: over a list (`in`) or an inclusive range; a scope per pass.
  private async runFor(step: StepEntry, frame: Frame): Promise<Flow> {
    const loop = step.body['for'];
    if (!isRecord(loop) || typeof loop['value'] !== 'string') {
      throw new WorkflowDefinitionError(
        `for of step "${step.name}" needs value and steps`,
      );
    }
    const items = this.loopItems(loop, step, frame);
    const body = this.stepList(loop['steps'], step);
    const indexName = typeof loop['index'] === 'string' ? loop['index'] : null;
    for (const [position, item] of items.entries()) {
      frame.variables.push();
      try {
        frame.variables.defineLocal(loop['value'], item);
        if (indexName) frame.variables.defineLocal(indexName, BigInt(position));
        const flow = await this.runSteps(body, frame);
        if (flow.kind === 'break') break;
        if (flow.kind === 'return') return flow;
        if (flow.kind === 'jump') {
          throw new WorkflowDefinitionError(
            `next: ${flow.target} leaves the for loop of step ` +
              `"${step.name}"; use break, continue or return`,
          );
        }
      } finally {
        frame.variables.pop();
      }
    }
    return NEXT;
  }

  private loopItems(
    loop: Record<string, unknown>,
    step: StepEntry,
    frame: Frame,
  ): WorkflowValue[] {
    if ('in' in loop) {
      const list = this.evaluate(loop['in'], step, frame);
      if (!Array.isArray(list)) {
        throw runtimeError('TypeError', `for in needs a list, got ` +
          typeName(list));
      }
      return [...list];
    }
    const range = this.evaluate(loop['range'], step, frame);
    if (!Array.isArray(range) || range.length !== 2 ||
        !range.every(isNumber)) {
      throw runtimeError('TypeError', 'for range needs [start, end] numbers');
    }
    return rangeItems(range[0] as bigint | number, range[1] as
      bigint | number, this.limits.steps);
  }

  // `try` with optional `retry` and `except`.
  private async runTry(step: StepEntry, frame: Frame): Promise<Flow> {
    const {body} = step;
    const policy = body['retry'] === undefined
      ? null
      : readRetryPolicy(body['retry'], step.name);
    for (let retries = 0; ; retries++) {
      try {
        return await this.runTryBody(body['try'], step, frame);
      } catch (error) {
        if (!(error instanceof WorkflowRaise)) throw error;
        if (policy !== null && retries < policy.maxRetries &&
            await this.shouldRetry(policy, error.value, step, frame)) {
          const delaySeconds = retryDelaySeconds(policy, retries + 1);
          const now = this.services.nowSeconds();
          await this.services.sleepUntilMs((now + delaySeconds) * 1000);
          continue;
        }
        if (body['except'] === undefined) throw error;
        return this.runExcept(body['except'], error.value, step, frame);
      }
    }
  }

  private runTryBody(node: unknown, step: StepEntry, frame: Frame) {
    if (Array.isArray(node)) {
      return this.runSteps(this.stepList(node, step), frame);
    }
    if (!isRecord(node)) {
      throw new WorkflowDefinitionError(
        `try of step "${step.name}" must be a step or a list of steps`,
      );
    }
    return this.runStep({name: step.name, body: node}, frame);
  }

  private async shouldRetry(
    policy: RetryPolicy,
    error: WorkflowValue,
    step: StepEntry,
    frame: Frame,
  ): Promise<boolean> {
    const {predicate} = policy;
    let verdict: WorkflowValue;
    if (predicate.kind === 'library') {
      const library = STANDARD_LIBRARY.get(predicate.functionName)!;
      verdict = await library.invoke([error], {services: this.services,
        stepName: step.name});
    } else {
      const definition = this.program.definitions.get(predicate.name);
      const [param] = definition?.params ?? [];
      if (definition === undefined || param === undefined) {
        throw new WorkflowDefinitionError(
          `retry predicate "${predicate.name}" of step "${step.name}" must ` +
            'be a subworkflow with one parameter',
        );
      }
      verdict = await this.callWorkflow(definition,
        new Map([[param.name, error]]), frame.depth + 1);
    }
    if (typeof verdict !== 'boolean') {
      throw runtimeError('TypeError', `retry predicate of step ` +
        `"${step.name}" returned a ${typeName(verdict)}, not a boolean`);
    }
    return verdict;
  }

  private runExcept(
    node: unknown,
    error: WorkflowValue,
    step: StepEntry,
    frame: Frame,
  ): Promise<Flow> {
    if (!isRecord(node)) {
      throw new WorkflowDefinitionError(
        `except of step "${step.name}" must be a map with as and steps`,
      );
    }
    if (typeof node['as'] === 'string') {
      frame.variables.assign(node['as'], error);
      this.checkVariableSize(frame);
    }
    return this.runSteps(this.stepList(node['steps'], step), frame);
  }

  private evaluate(node: unknown, step: StepEntry, frame: Frame) {
    return evaluateTemplate(node, this.contextFor(step, frame));
  }

  private evaluateExpression(
    expression: Expression,
    step: StepEntry,
    frame: Frame,
  ): WorkflowValue {
    return evaluate(expression, this.contextFor(step, frame));
  }

  private contextFor(step: StepEntry, frame: Frame): EvaluationContext {
    return {
      lookup: (name) => frame.variables.lookup(name),
      callFunction: (name, args) => this.callInExpression(name, args, step),
    };
  }

  private callInExpression(
    name: string,
    args: WorkflowValue[],
    step: StepEntry,
  ): WorkflowValue {
    const library = STANDARD_LIBRARY.get(name);
    if (library === undefined || library.blocking) {
      const what = this.program.definitions.has(name)
        ? `calling the subworkflow ${name} inside an expression`
        : `the function ${name} inside an expression`;
      throw new UnsupportedConstructError(what, step.name);
    }
    checkArity(name, library, args.length, step);
    const value = library.invoke(args, {services: this.services,
      stepName: step.name});
    if (value instanceof Promise) {
      throw new UnsupportedConstructError(`${name} in an expression`,
        step.name);
    }
    return value;
  }

  private stepList(node: unknown, step: StepEntry): StepEntry[] {
    if (typeof node === 'object' && node !== null) {
      const cached = this.stepLists.get(node);
      if (cached !== undefined) return cached;
      const steps = readSteps(node, `step "${step.name}"`);
      this.stepLists.set(node, steps);
      return steps;
    }
    return readSteps(node, `step "${step.name}"`);
  }

  private countStep(step: StepEntry): void {
    this.stepsRun++;
    if (this.stepsRun > this.limits.steps) {
      throw runtimeError(
        'ResourceLimitError',
        `more than ${this.limits.steps} steps (at step "${step.name}")`,
      );
    }
  }

  // The service refuses an execution whose variables pass 512 KB.
  private checkVariableSize(frame: Frame): void {
    const bytes = frame.variables
      .values()
      .reduce<number>((sum, value) => sum + measureBytes(value), 0);
    if (bytes > this.limits.variableBytes) {
      throw runtimeError(
        'ResourceLimitError',
        `variables of workflow "${frame.definition.name}" take ${bytes} ` +
          `bytes, over the limit of ${this.limits.variableBytes}`,
      );
    }
  }
}

// The flow a step's `next` asks for.
function nextFlow(next: unknown, stepName: string): Flow {
  if (next === undefined) return NEXT;
  if (typeof next !== 'string') {
    throw new WorkflowDefinitionError(
      `next of step "${stepName}" must be a step name, end, break or continue`,
    );
  }
  if (next === 'end') return {kind: 'return', value: null};
  if (next === 'break') return {kind: 'break'};
  if (next === 'continue') return {kind: 'continue'};
  return {kind: 'jump', target: next};
}

// Whether an expression names something assignable.
function isTarget(expression: Expression): boolean {
  if (expression.kind === 'variable') return true;
  if (expression.kind === 'member' || expression.kind === 'index') {
    return isTarget(expression.object);
  }
  return false;
}

// One step down an assignment path; a missing map key becomes a map.
function descend(
  container: WorkflowValue,
  segment: WorkflowValue,
): WorkflowValue {
  if (isMap(container) && typeof segment === 'string' &&
      !container.has(segment)) {
    const created = new Map<string, WorkflowValue>();
    container.set(segment, created);
    return created;
  }
  return typeof segment === 'string' && isMap(container)
    ? readKey(container, segment)
    : readIndex(container, segment);
}

function writeMember(
  container: WorkflowValue,
  segment: WorkflowValue,
  value: WorkflowValue,
): void {
  if (isMap(container) && typeof segment === 'string') {
    container.set(segment, value);
    return;
  }
  if (Array.isArray(container) && typeof segment === 'bigint') {
    readIndex(container, segment);
    container[Number(segment)] = value;
    return;
  }
  throw runtimeError(
    'TypeError',
    `cannot assign into a ${typeName(container)} with a ${typeName(segment)}`,
  );
}

function paramNames(definition: WorkflowDefinition): string {
  const names = definition.params.map((param) => param.name);
  return names.length > 0 ? names.join(', ') : 'none';
}

function checkArity(
  name: string,
  library: LibraryFunction,
  count: number,
  step: StepEntry,
): void {
  if (count < library.required || count > library.params.length) {
    throw runtimeError(
      'TypeError',
      `${name} in step "${step.name}" takes ${library.required} to ` +
        `${library.params.length} arguments, got ${count}`,
    );
  }
}

// An inclusive range, integers or doubles by step 1.
function rangeItems(
  start: bigint | number,
  end: bigint | number,
  limit: number,
): WorkflowValue[] {
  const items: WorkflowValue[] = [];
  if (typeof start === 'bigint' && typeof end === 'bigint') {
    for (let value = start; value <= end && items.length <= limit; value++) {
      items.push(value);
    }
    return items;
  }
  const last = toDouble(end);
  for (let value = toDouble(start); value <= last && items.length <= limit;
    value++) {
    items.push(value);
  }
  return items;
}
