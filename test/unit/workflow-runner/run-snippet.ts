import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {CallbackServer} from
  '../../../adapters/local/workflow-runner/callback-server.js';
import type {WorkflowConnectors, WorkflowLogEntry} from
  '../../../adapters/local/workflow-runner/held-execution.js';
import type {ExecutionLimits} from
  '../../../adapters/local/workflow-runner/interpreter.js';
import {runWorkflow} from
  '../../../adapters/local/workflow-runner/run-workflow.js';

/** 2025-03-01T00:00:00Z, the virtual start of every snippet. */
export const SNIPPET_START_MS = Date.parse('2025-03-01T00:00:00Z');

/** Options of one snippet run. */
export interface SnippetOptions {
  readonly argument?: string;
  readonly connectors?: WorkflowConnectors;
  readonly limits?: Partial<ExecutionLimits>;
  /** Called with the server once it listens, before the run starts. */
  readonly onCallbacks?: (callbacks: CallbackServer, clock: VirtualClock) =>
    void;
}

/** What a snippet run produced. */
export interface SnippetRun {
  readonly result: unknown;
  readonly clock: VirtualClock;
  readonly logs: WorkflowLogEntry[];
  /** Virtual seconds from the start to the end of the run. */
  readonly elapsedSeconds: number;
}

const NO_PUBLISH: WorkflowConnectors = {
  publish: async () => ({messageIds: []}),
};

/**
 * Runs a workflow snippet with the local runner on a fresh virtual clock
 * and callback server, driving the clock until the execution ends.
 */
export async function runSnippet(
  source: string,
  options: SnippetOptions = {},
): Promise<SnippetRun> {
  const clock = new VirtualClock(SNIPPET_START_MS, {quietMilliseconds: 1});
  const callbacks = new CallbackServer({clock});
  await callbacks.start();
  options.onCallbacks?.(callbacks, clock);
  const logs: WorkflowLogEntry[] = [];
  let settled = false;
  const execution = runWorkflow({
    source,
    argument: options.argument,
    clock,
    connectors: options.connectors ?? NO_PUBLISH,
    callbacks,
    log: (entry) => logs.push(entry),
    limits: options.limits,
  }).finally(() => {
    settled = true;
  });
  execution.catch(() => undefined);
  try {
    await clock.run(() => settled);
    const result = await execution;
    const elapsedSeconds = (clock.nowMs() - SNIPPET_START_MS) / 1000;
    return {result, clock, logs, elapsedSeconds};
  } finally {
    await callbacks.close();
  }
}

/** Runs a snippet expected to fail; returns the rejection. */
export async function failSnippet(
  source: string,
  options: SnippetOptions = {},
): Promise<unknown> {
  try {
    await runSnippet(source, options);
  } catch (error) {
    return error;
  }
  throw new Error('the snippet was expected to fail but succeeded');
}

/** A main workflow returning one expression. */
export function returning(expression: string): string {
  const quoted = `'\${${expression}}'`.replace(/(?<=.)'(?=.)/g, "''");
  return `main:\n  steps:\n    - answer:\n        return: ${quoted}\n`;
}
