import {parse} from 'yaml';
import {WorkflowDefinitionError} from './workflow-errors.js';
import {evaluateTemplate} from './template.js';
import type {WorkflowValue} from './values.js';

/** One named step: its name and its body (the YAML map under the name). */
export interface StepEntry {
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A parameter of a (sub)workflow, with its default when it has one. */
export interface WorkflowParameter {
  readonly name: string;
  readonly defaultValue?: WorkflowValue;
}

/** The main workflow or a subworkflow. */
export interface WorkflowDefinition {
  readonly name: string;
  readonly params: readonly WorkflowParameter[];
  readonly steps: readonly StepEntry[];
}

/** A loaded workflow source: `main` and its subworkflows. */
export interface WorkflowProgram {
  readonly definitions: ReadonlyMap<string, WorkflowDefinition>;
}

/**
 * Loads Workflows YAML (or JSON) source. Integers stay integers (bigint)
 * and doubles stay doubles, as the service keeps them apart.
 *
 * @param source - the workflow file's text
 * @returns the definitions, keyed by name (`main` first)
 * @throws WorkflowDefinitionError when the shape is not a workflow
 */
export function loadWorkflowProgram(source: string): WorkflowProgram {
  const document: unknown = parse(source, {intAsBigInt: true});
  const definitions = new Map<string, WorkflowDefinition>();
  if (Array.isArray(document)) {
    definitions.set('main', {
      name: 'main',
      params: [],
      steps: readSteps(document, 'main'),
    });
    return {definitions};
  }
  if (!isRecord(document) || !isRecord(document['main'])) {
    throw new WorkflowDefinitionError(
      'a workflow is a list of steps or a map with a "main" workflow',
    );
  }
  for (const [name, definition] of Object.entries(document)) {
    definitions.set(name, readDefinition(name, definition));
  }
  return {definitions};
}

/**
 * Reads a list of single-key step maps.
 *
 * @param value - the YAML list
 * @param where - the owner, for error messages
 */
export function readSteps(value: unknown, where: string): StepEntry[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new WorkflowDefinitionError(
      `steps of ${where} must be a non-empty list of single-key maps`,
    );
  }
  return value.map((item: unknown) => {
    const entries = isRecord(item) ? Object.entries(item) : [];
    const [entry] = entries;
    if (entries.length !== 1 || entry === undefined || !isRecord(entry[1])) {
      throw new WorkflowDefinitionError(
        `each step of ${where} must be a map with one key (the step name) ` +
          'whose value is a map',
      );
    }
    return {name: entry[0], body: entry[1]};
  });
}

/** Whether a YAML node is a plain map. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readDefinition(name: string, value: unknown): WorkflowDefinition {
  if (!isRecord(value)) {
    throw new WorkflowDefinitionError(`workflow "${name}" must be a map`);
  }
  const unknownKeys = Object.keys(value).filter(
    (key) => key !== 'params' && key !== 'steps',
  );
  if (unknownKeys.length > 0) {
    throw new WorkflowDefinitionError(
      `workflow "${name}" has unknown keys ${unknownKeys.join(', ')}; ` +
        'allowed are params and steps',
    );
  }
  const params = value['params'] ?? [];
  if (!Array.isArray(params)) {
    throw new WorkflowDefinitionError(`params of "${name}" must be a list`);
  }
  return {
    name,
    params: params.map((param: unknown) => readParameter(name, param)),
    steps: readSteps(value['steps'], `workflow "${name}"`),
  };
}

// Defaults are literals: no variable or function is in reach.
const NO_CONTEXT = {
  lookup(name: string): never {
    throw new WorkflowDefinitionError(
      `a parameter default cannot refer to the variable "${name}"`,
    );
  },
  callFunction(name: string): never {
    throw new WorkflowDefinitionError(
      `a parameter default cannot call "${name}"`,
    );
  },
};

function readParameter(owner: string, param: unknown): WorkflowParameter {
  if (typeof param === 'string') return {name: param};
  const entries = isRecord(param) ? Object.entries(param) : [];
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw new WorkflowDefinitionError(
      `a parameter of "${owner}" must be a name or a {name: default} map`,
    );
  }
  const defaultValue = evaluateTemplate(entry[1], NO_CONTEXT);
  return {name: entry[0], defaultValue};
}
