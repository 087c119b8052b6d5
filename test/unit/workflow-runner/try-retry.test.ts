import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import type {WorkflowConnectors} from
  '../../../adapters/local/workflow-runner/held-execution.js';
import {failSnippet, runSnippet} from './run-snippet.js';

// A publish connector that fails `failures` times with an HTTP status,
// then succeeds, noting the virtual second of every call.
function flakyPublish(failures: number, status: number, nowMs: () => number) {
  const callSeconds: number[] = [];
  const connectors: WorkflowConnectors = {
    publish: async () => {
      callSeconds.push(nowMs());
      if (callSeconds.length <= failures) {
        throw Object.assign(new Error(`status ${status}`), {code: status});
      }
      return {messageIds: ['m']};
    },
  };
  return {callSeconds, connectors};
}

const PUBLISH_STEP = `
        try:
          call: googleapis.pubsub.v1.projects.topics.publish
          args:
            topic: projects/p/topics/t
            body:
              messages:
                - data: e30=
          result: published`;

describe('workflow runner try, retry and except', () => {
  it('catches a raised map as e and reads its tags', async () => {
    const run = await runSnippet(`
main:
  steps:
    - guarded:
        try:
          raise:
            tags: [Custom]
            message: boom
        except:
          as: e
          steps:
            - handle:
                return: \${e.tags[0] + ":" + e.message}
`);
    assert.equal(run.result, 'Custom:boom');
  });

  it('catches a runtime KeyError with its tag', async () => {
    const run = await runSnippet(`
main:
  steps:
    - guarded:
        try:
          steps:
            - make:
                assign:
                  - record: {a: 1}
            - read:
                assign:
                  - x: \${record.b}
        except:
          as: e
          steps:
            - handle:
                return: \${"KeyError" in e.tags}
`);
    assert.equal(run.result, true);
  });

  it('retries with a custom predicate and backoff on the virtual clock',
    async () => {
      let clockNow = () => 0;
      const flaky = flakyPublish(3, 503, () => clockNow());
      const run = await runSnippet(`
main:
  steps:
    - send:${PUBLISH_STEP}
        retry:
          predicate: \${only_unavailable}
          max_retries: 5
          backoff:
            initial_delay: 2
            max_delay: 5
            multiplier: 2
    - answer:
        return: \${published.messageIds}
only_unavailable:
  params: [e]
  steps:
    - decide:
        return: \${map.get(e, "code") == 503}
`, {
        connectors: flaky.connectors,
        onCallbacks: (_callbacks, clock) => {
          const startMs = clock.nowMs();
          clockNow = () => (clock.nowMs() - startMs) / 1000;
        },
      });
      assert.deepEqual(run.result, ['m']);
      // Delays 2, 4, then 8 capped at 5.
      assert.deepEqual(flaky.callSeconds, [0, 2, 6, 11]);
    });

  it('follows http.default_retry: five retries from 1 s by 1.25',
    async () => {
      let clockNow = () => 0;
      const flaky = flakyPublish(9, 429, () => clockNow());
      const error = await failSnippet(`
main:
  steps:
    - send:${PUBLISH_STEP}
        retry: \${http.default_retry}
`, {
        connectors: flaky.connectors,
        onCallbacks: (_callbacks, clock) => {
          const startMs = clock.nowMs();
          clockNow = () => (clock.nowMs() - startMs) / 1000;
        },
      });
      assert.ok(error instanceof WorkflowExecutionError);
      assert.deepEqual((error.error as {tags: string[]}).tags, ['HttpError']);
      const expected = [0, 1, 2.25, 3.8125, 5.765625, 8.20703125];
      assert.deepEqual(flaky.callSeconds, expected);
    });

  it('does not retry an error the predicate refuses', async () => {
    const flaky = flakyPublish(1, 400, () => 0);
    const run = await runSnippet(`
main:
  steps:
    - send:${PUBLISH_STEP}
        retry: \${http.default_retry}
        except:
          as: e
          steps:
            - handle:
                return: \${e.code}
`, {connectors: flaky.connectors});
    assert.equal(run.result, 400);
    assert.equal(flaky.callSeconds.length, 1);
  });

  it('rethrows an unknown error from except with raise', async () => {
    const error = await failSnippet(`
main:
  steps:
    - guarded:
        try:
          raise: unknown
        except:
          as: e
          steps:
            - known:
                switch:
                  - condition: \${e == "known"}
                    return: handled
            - rethrow:
                raise: \${e}
`);
    assert.ok(error instanceof WorkflowExecutionError);
    assert.equal(error.error, 'unknown');
  });
});
