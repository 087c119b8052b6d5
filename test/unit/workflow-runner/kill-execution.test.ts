import assert from 'node:assert/strict';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {CallbackServer} from
  '../../../adapters/local/workflow-runner/callback-server.js';
import type {WorkflowConnectors, WorkflowLogEntry} from
  '../../../adapters/local/workflow-runner/held-execution.js';
import {runWorkflow} from
  '../../../adapters/local/workflow-runner/run-workflow.js';
import {WorkflowExecutionKilled} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';

const START_MS = Date.parse('2025-03-01T00:00:00Z');

const NO_PUBLISH: WorkflowConnectors = {
  publish: async () => ({messageIds: []}),
};

interface KilledRun {
  readonly error: unknown;
  readonly logs: WorkflowLogEntry[];
  readonly clock: VirtualClock;
  readonly callbacks: CallbackServer;
  readonly killedAtMs: number;
}

// Runs `source` and kills it when `killWhen` resolves; time runs on
// until the clock has nothing left to do.
async function runAndKill(
  source: string,
  killWhen: (clock: VirtualClock) => Promise<void>,
  connectors: WorkflowConnectors = NO_PUBLISH,
): Promise<KilledRun> {
  const clock = new VirtualClock(START_MS, {quietMilliseconds: 1});
  const callbacks = new CallbackServer({clock});
  await callbacks.start();
  const logs: WorkflowLogEntry[] = [];
  const controller = new AbortController();
  let killedAtMs = Number.NaN;
  void killWhen(clock).then(() => {
    killedAtMs = clock.nowMs();
    controller.abort(new WorkflowExecutionKilled('test-execution', 'test'));
  });
  let error: unknown = null;
  let settled = false;
  void runWorkflow({
    source, clock, connectors, callbacks, signal: controller.signal,
    log: (entry) => logs.push(entry),
  }).then(() => {
    settled = true;
  }, (rejection: unknown) => {
    error = rejection;
    settled = true;
  });
  await clock.run(() => settled);
  return {error, logs, clock, callbacks, killedAtMs};
}

const afterSeconds = (seconds: number) => (clock: VirtualClock) =>
  clock.sleepUntil(START_MS + seconds * 1000);

describe('killing a local workflow execution', () => {
  it('ends a sleep at once, runs no later step and lets the clock go',
    async () => {
      const run = await runAndKill(`
main:
  steps:
    - wait:
        call: sys.sleep
        args:
          seconds: 3600
    - after_wait:
        call: sys.log
        args:
          text: woke
`, afterSeconds(60));
      await run.callbacks.close();
      assert.ok(run.error instanceof WorkflowExecutionKilled);
      assert.deepEqual(run.logs, []);
      assert.equal(run.killedAtMs, START_MS + 60_000);
      assert.deepEqual(run.clock.describeHolders(), []);
    });

  it('ends an await of a callback, and a late reply holds nothing',
    async () => {
      const run = await runAndKill(`
main:
  steps:
    - make_endpoint:
        call: events.create_callback_endpoint
        args:
          http_callback_method: POST
        result: callback
    - note_endpoint:
        call: sys.log
        args:
          text: \${callback.url}
    - wait_reply:
        call: events.await_callback
        args:
          callback: \${callback}
          timeout: 3600
    - after_reply:
        call: sys.log
        args:
          text: replied
`, afterSeconds(1));
      const endpoint = String(run.logs[0]?.data);
      assert.ok(run.error instanceof WorkflowExecutionKilled);
      assert.equal(run.logs.length, 1);

      // A reply after the kill is taken, and its hold let go.
      const response = await fetch(endpoint, {method: 'POST', body: '{}'});
      assert.equal(response.status, 200);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(run.clock.describeHolders(), []);
      await run.callbacks.close();
    });

  it('stops at the step after a publish, and no except catches it',
    async () => {
      let published!: () => void;
      const publishing = new Promise<void>((resolve) => {
        published = resolve;
      });
      let finishPublish!: () => void;
      const connectors: WorkflowConnectors = {
        publish: () => new Promise((resolve) => {
          published();
          finishPublish = () => resolve({messageIds: ['1']});
        }),
      };
      const run = await runAndKill(`
main:
  steps:
    - guarded:
        try:
          steps:
            - send:
                call: googleapis.pubsub.v1.projects.topics.publish
                args:
                  topic: projects/p/topics/t
                  body:
                    messages:
                      - data: e30=
            - after_send:
                call: sys.log
                args:
                  text: sent
        except:
          as: e
          steps:
            - caught:
                call: sys.log
                args:
                  text: caught
`, async () => {
        await publishing;
        setImmediate(() => finishPublish());
      }, connectors);
      await run.callbacks.close();
      assert.ok(run.error instanceof WorkflowExecutionKilled,
        String(run.error));
      assert.deepEqual(run.logs, []);
      assert.deepEqual(run.clock.describeHolders(), []);
    });
});
