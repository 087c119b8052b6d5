import {parse} from 'yaml';
import {STANDARD_LIBRARY} from
  '../../../adapters/local/workflow-runner/standard-library.js';
import {parseExpression} from
  '../../../adapters/local/workflow-runner/expression-parser.js';

/** The Google API connectors the lifecycle may call. */
export const ALLOWED_CONNECTORS = [
  'googleapis.pubsub.v1.projects.topics.publish',
];

// Calls that reach a network service and so need an explicit retry.
const NEEDS_RETRY = /^(googleapis\.|http\.|events\.create_callback_endpoint$)/;

type Node = Record<string, unknown>;

interface StepVisit {
  readonly name: string;
  readonly body: Node;
  /** The step whose `try` holds this step body directly, if any. */
  readonly tryOwner: Node | null;
}

/**
 * Checks a workflow source beyond its JSON Schema: unique step names per
 * workflow, `next` and `call` targets that exist, whole and parseable
 * `${}` expressions, connectors on the allow-list, an explicit retry on
 * every connector and HTTP step, and every `except` ending in a `raise`.
 *
 * @returns one plain sentence per problem; empty when the source passes
 */
export function checkWorkflowStructure(source: string): string[] {
  const document = parse(source) as Record<string, Node>;
  const problems: string[] = [];
  checkExpressions(document, problems, 'workflow');
  for (const [workflowName, definition] of Object.entries(document)) {
    const visits: StepVisit[] = [];
    collectSteps(definition['steps'], null, visits);
    const names = visits.map((visit) => visit.name);
    for (const name of new Set(names)) {
      if (names.filter((other) => other === name).length > 1) {
        problems.push(`${workflowName}: step name "${name}" is not unique`);
      }
    }
    for (const visit of visits) {
      checkStep(workflowName, visit, new Set(names), document, problems);
    }
  }
  return problems;
}

function checkStep(
  workflowName: string,
  {name, body, tryOwner}: StepVisit,
  stepNames: ReadonlySet<string>,
  document: Record<string, Node>,
  problems: string[],
): void {
  const where = `${workflowName}/${name}`;
  for (const next of nextTargets(body)) {
    if (!['end', 'break', 'continue'].includes(next) && !stepNames.has(next)) {
      problems.push(`${where}: next "${next}" names no step`);
    }
  }
  const call = body['call'];
  if (typeof call === 'string') {
    const known = call in document || STANDARD_LIBRARY.has(call);
    if (!known) problems.push(`${where}: call "${call}" has no target`);
    if (call.startsWith('googleapis.') && !ALLOWED_CONNECTORS.includes(call)) {
      problems.push(`${where}: connector "${call}" is not allowed`);
    }
    if (NEEDS_RETRY.test(call) && tryOwner?.['retry'] === undefined) {
      problems.push(`${where}: call "${call}" has no explicit retry`);
    }
  }
  const except = body['except'] as Node | undefined;
  if (except !== undefined) {
    const steps = (except['steps'] ?? []) as Node[];
    const last = steps.at(-1);
    const lastBody = last === undefined ? undefined :
      Object.values(last)[0] as Node;
    if (lastBody?.['raise'] === undefined) {
      problems.push(`${where}: except does not end in a raise`);
    }
  }
}

// Every step body in a list, nested lists included.
function collectSteps(
  list: unknown,
  tryOwner: Node | null,
  visits: StepVisit[],
): void {
  if (!Array.isArray(list)) return;
  for (const item of list as Node[]) {
    for (const [name, body] of Object.entries(item)) {
      visitBody(name, body as Node, tryOwner, visits);
    }
  }
}

function visitBody(
  name: string,
  body: Node,
  tryOwner: Node | null,
  visits: StepVisit[],
): void {
  visits.push({name, body, tryOwner});
  collectSteps(body['steps'], null, visits);
  const attempt = body['try'];
  if (Array.isArray(attempt)) collectSteps(attempt, body, visits);
  else if (attempt !== undefined) {
    const inner = attempt as Node;
    if (inner['steps'] !== undefined) {
      collectSteps(inner['steps'], null, visits);
    } else {
      checkInlineTry(name, inner, body, visits);
    }
  }
  collectSteps((body['except'] as Node | undefined)?.['steps'], null, visits);
  collectSteps((body['for'] as Node | undefined)?.['steps'], null, visits);
  for (const condition of (body['switch'] ?? []) as Node[]) {
    collectSteps(condition['steps'], null, visits);
  }
}

// A `try:` holding one call directly counts as that call's step.
function checkInlineTry(
  name: string,
  inner: Node,
  owner: Node,
  visits: StepVisit[],
): void {
  visits.push({name: `${name}.try`, body: inner, tryOwner: owner});
}

function nextTargets(body: Node): string[] {
  const targets: string[] = [];
  if (typeof body['next'] === 'string') targets.push(body['next']);
  for (const condition of (body['switch'] ?? []) as Node[]) {
    if (typeof condition['next'] === 'string') targets.push(condition['next']);
  }
  return targets;
}

// Every string holding `${` must be one whole, parseable expression.
function checkExpressions(node: unknown, problems: string[], path: string) {
  if (typeof node === 'string') {
    if (!node.includes('${')) return;
    const whole = /^\$\{([\s\S]*)\}$/.exec(node);
    if (whole === null) {
      problems.push(`${path}: "${node}" is not one whole \${...}`);
      return;
    }
    try {
      parseExpression(whole[1]!);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) =>
      checkExpressions(item, problems, `${path}[${index}]`));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, item] of Object.entries(node)) {
      checkExpressions(item, problems, `${path}.${key}`);
    }
  }
}
