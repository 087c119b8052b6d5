import {WorkflowDefinitionError} from './workflow-errors.js';
import {isRecord} from './workflow-program.js';

/** Which predicate decides whether an error is retried. */
export type RetryPredicate =
  | {readonly kind: 'library'; readonly functionName: string}
  | {readonly kind: 'subworkflow'; readonly name: string};

/** A `retry:` block, resolved. Delays are virtual seconds. */
export interface RetryPolicy {
  readonly predicate: RetryPredicate;
  readonly maxRetries: number;
  readonly initialDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly multiplier: number;
}

const DEFAULT_BACKOFF = {
  initialDelaySeconds: 1,
  maxDelaySeconds: 60,
  multiplier: 1.25,
} as const;

const NAMED_POLICIES: Readonly<Record<string, RetryPolicy>> = {
  'http.default_retry': {
    predicate: {kind: 'library', functionName: 'http.default_retry_predicate'},
    maxRetries: 5,
    ...DEFAULT_BACKOFF,
  },
  'http.default_retry_non_idempotent': {
    predicate: {
      kind: 'library',
      functionName: 'http.default_retry_predicate_non_idempotent',
    },
    maxRetries: 5,
    ...DEFAULT_BACKOFF,
  },
};

const LIBRARY_PREDICATES = [
  'http.default_retry_predicate',
  'http.default_retry_predicate_non_idempotent',
];

/**
 * Reads a step's `retry:` value: `${http.default_retry}` (or its
 * non-idempotent twin), or a map with predicate, max_retries and backoff.
 *
 * @param node - the YAML value under `retry`
 * @param stepName - the step, for error messages
 */
export function readRetryPolicy(node: unknown, stepName: string): RetryPolicy {
  if (typeof node === 'string') {
    const policy = NAMED_POLICIES[referencedName(node, stepName)];
    if (policy === undefined) {
      throw new WorkflowDefinitionError(
        `retry of step "${stepName}" names ${node}; allowed are ` +
          '${http.default_retry}, ${http.default_retry_non_idempotent} ' +
          'or a map with predicate, max_retries and backoff',
      );
    }
    return policy;
  }
  if (!isRecord(node) || typeof node['predicate'] !== 'string') {
    throw new WorkflowDefinitionError(
      `retry of step "${stepName}" must name a predicate`,
    );
  }
  const name = referencedName(node['predicate'], stepName);
  const predicate: RetryPredicate = LIBRARY_PREDICATES.includes(name)
    ? {kind: 'library', functionName: name}
    : {kind: 'subworkflow', name};
  const backoff = isRecord(node['backoff']) ? node['backoff'] : {};
  return {
    predicate,
    maxRetries: count(node['max_retries'], 'max_retries', stepName),
    initialDelaySeconds: seconds(
      backoff['initial_delay'], DEFAULT_BACKOFF.initialDelaySeconds),
    maxDelaySeconds: seconds(
      backoff['max_delay'], DEFAULT_BACKOFF.maxDelaySeconds),
    multiplier: seconds(backoff['multiplier'], DEFAULT_BACKOFF.multiplier),
  };
}

/**
 * The delay before retry number `retryNumber` (1 for the first retry):
 * initial_delay x multiplier^(n-1), capped at max_delay.
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  retryNumber: number,
): number {
  const delay =
    policy.initialDelaySeconds * policy.multiplier ** (retryNumber - 1);
  return Math.min(delay, policy.maxDelaySeconds);
}

function referencedName(text: string, stepName: string): string {
  const match = /^\$\{\s*([A-Za-z_][\w.]*)\s*\}$/.exec(text);
  if (match === null) {
    throw new WorkflowDefinitionError(
      `retry of step "${stepName}" must reference a name as \${name}, ` +
        `got ${text}`,
    );
  }
  return match[1]!;
}

function count(value: unknown, field: string, stepName: string): number {
  if (typeof value !== 'bigint' || value < 0n) {
    throw new WorkflowDefinitionError(
      `retry.${field} of step "${stepName}" must be a non-negative integer`,
    );
  }
  return Number(value);
}

function seconds(value: unknown, fallback: number): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  return fallback;
}
