/**
 * Runs workflows/lifecycle.yaml (or an edited copy) on the local runner
 * against a scripted function side, on a virtual clock.
 */
import {readFileSync} from 'node:fs';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {CallbackServer} from
  '../../../adapters/local/workflow-runner/callback-server.js';
import type {WorkflowLogEntry} from
  '../../../adapters/local/workflow-runner/held-execution.js';
import {runWorkflow} from
  '../../../adapters/local/workflow-runner/run-workflow.js';
import {FakeFunctionSide} from './fake-function-side.js';
import type {ReceivedMessage, Responder} from './fake-function-side.js';

export const LIFECYCLE = readFileSync(
  new URL('../../../workflows/lifecycle.yaml', import.meta.url),
  'utf8',
);
const START = '2025-03-01T00:00:00.000Z';
export const ARGUMENT = JSON.stringify({
  jobId: 'j-42',
  project: 'carbon-dev',
  pollSeconds: 1800,
  maxMonitorPolls: 20,
  replanIfWaitOverSeconds: 21600,
});

// The reply a function sends for an envelope.
export function ok(message: ReceivedMessage, result: unknown): unknown {
  const {requestId, jobId, step} = message.envelope;
  return {requestId, jobId, step, outcome: 'ok', result};
}

export function planResult(startAt: string) {
  return {
    regionId: 'europe-north1',
    startAt,
    endAt: '2025-03-01T19:00:00Z',
    mode: 'segments',
    segmentCount: 2,
    planPointer: 'gs://plans/j-42/plan.json',
  };
}

/** Whether a message is a wake-up check while waiting for the slot. */
export function isWaitCheck(message: ReceivedMessage): boolean {
  const payload = message.envelope['payload'] as Record<string, unknown>;
  return message.envelope.step === 'monitor' && payload['phase'] === 'waiting';
}

/**
 * The sequence a message would have without the wake-up checks of the
 * wait, so scripts can name the lifecycle's own requests.
 */
export function lifecycleSequence(
  message: ReceivedMessage,
  history: readonly ReceivedMessage[],
): number {
  const checks = new Set(history.filter(isWaitCheck)
    .map((earlier) => earlier.envelope.sequence)
    .filter((sequence) => sequence < message.envelope.sequence));
  return message.envelope.sequence - checks.size;
}

// The happy path, with one foreign reply and one lost reply.
export const scriptedFunctions: Responder = (message, history) => {
  const {envelope} = message;
  const sameRequest = history.filter(
    (earlier) => earlier.envelope.requestId === envelope.requestId,
  );
  if (isWaitCheck(message)) {
    return [ok(message, {decision: 'wait', reason: 'no-operator-command'})];
  }
  switch (`${envelope.step}:${lifecycleSequence(message, history)}`) {
    case 'plan:1':
      return [ok(message, planResult('2025-03-01T10:00:00Z'))];
    case 'plan:2':
      return [ok(message, planResult('2025-03-01T09:00:00Z'))];
    case 'launch:3': {
      const reply = ok(message, {trainingJobName: 'train-j-42-s0',
        regionId: 'europe-north1'}) as Record<string, unknown>;
      return [{...reply, requestId: 'j-42:launch:99'}, reply];
    }
    case 'monitor:4':
      return [ok(message, {decision: 'continue', reason: 'grid clean'})];
    case 'monitor:5':
      return [ok(message, {decision: 'pause', reason: 'grid dirty',
        resumeAt: '2025-03-01T14:00:00Z'})];
    case 'pause:6':
      return [ok(message, {checkpointStep: 1200})];
    case 'resume:7':
      return [ok(message, {trainingJobName: 'train-j-42-s1',
        regionId: 'europe-north1'})];
    case 'monitor:8':
      if (sameRequest.length === 1) return [];
      return [ok(message, {decision: 'completed', reason: 'done'})];
    case 'footprint:9':
      return [ok(message, {summary: {emissionsGrams: 5120.5,
        counterfactualGrams: 9000}})];
    default:
      return [];
  }
};

export interface LifecycleRun {
  readonly outcome: {result: unknown} | {error: unknown};
  readonly received: readonly ReceivedMessage[];
  readonly logs: readonly WorkflowLogEntry[];
}

export async function runLifecycle(
  responder: Responder,
  source: string = LIFECYCLE,
  argument: string = ARGUMENT,
): Promise<LifecycleRun> {
  const clock = new VirtualClock(Date.parse(START), {quietMilliseconds: 1});
  const callbacks = new CallbackServer({clock});
  await callbacks.start();
  const functions = new FakeFunctionSide(clock, responder);
  const logs: WorkflowLogEntry[] = [];
  let settled = false;
  const execution = runWorkflow({
    source,
    argument,
    clock,
    connectors: functions.connectors,
    callbacks,
    log: (entry) => logs.push(entry),
    executionName: 'lifecycle j-42',
  }).then(
    (result) => ({result}),
    (error: unknown) => ({error}),
  ).finally(() => {
    settled = true;
  });
  try {
    await clock.run(() => settled);
    return {outcome: await execution, received: functions.received, logs};
  } finally {
    await callbacks.close();
  }
}

export function timeline(received: readonly ReceivedMessage[]) {
  return received.map((message) => [
    new Date(message.atMs).toISOString().slice(11, 19),
    message.topicName,
    message.envelope.requestId,
    message.envelope.attempt,
  ]);
}

