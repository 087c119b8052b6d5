import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {UnsupportedConstructError, WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import {
  LIFECYCLE,
  runLifecycle,
  scriptedFunctions,
  timeline,
} from './lifecycle-harness.js';

// Edits a temporary copy of lifecycle.yaml, so the runner reads a file
// like the deployed one, and proves the edit took.
function editedCopy(
  edit: (source: string) => string,
): {source: string; cleanup: () => void} {
  const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-mutation-'));
  const file = path.join(folder, 'lifecycle.yaml');
  const edited = edit(LIFECYCLE);
  assert.notEqual(edited, LIFECYCLE, 'the mutation changed nothing');
  writeFileSync(file, edited);
  return {
    source: readFileSync(file, 'utf8'),
    cleanup: () => rmSync(folder, {recursive: true, force: true}),
  };
}

function replaceOnce(source: string, from: string, to: string): string {
  const at = source.indexOf(from);
  assert.ok(at >= 0, `the YAML no longer contains ${JSON.stringify(from)}`);
  assert.equal(source.indexOf(from, at + 1), -1,
    `${JSON.stringify(from)} occurs more than once`);
  return source.slice(0, at) + to + source.slice(at + from.length);
}

describe('lifecycle.yaml mutations change what the local runner does', () => {
  it('a smaller default retry count gives up after fewer attempts',
    async () => {
      const baseline = await runLifecycle(() => []);
      const mutated = editedCopy((source) => replaceOnce(source,
        '${default(map.get(args, "maxRequestAttempts"), 3)}',
        '${default(map.get(args, "maxRequestAttempts"), 2)}'));
      try {
        const run = await runLifecycle(() => [], mutated.source);
        const attempts = (received: typeof run.received) => received
          .filter((message) => message.topicName === 'plan-requests')
          .map((message) => message.envelope.attempt);
        assert.deepEqual(attempts(baseline.received), [1, 2, 3]);
        assert.deepEqual(attempts(run.received), [1, 2]);
      } finally {
        mutated.cleanup();
      }
    });

  it('a shorter await timeout resends sooner', async () => {
    const mutated = editedCopy((source) => replaceOnce(source,
      'timeout: 3600', 'timeout: 1800'));
    try {
      const run = await runLifecycle(() => [], mutated.source);
      assert.deepEqual(timeline(run.received).slice(0, 3), [
        ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
        ['00:30:00', 'plan-requests', 'j-42:plan:1', 2],
        ['01:00:00', 'plan-requests', 'j-42:plan:1', 3],
      ]);
    } finally {
      mutated.cleanup();
    }
  });

  it('reordered request steps fail before anything is published',
    async () => {
      const baseline = await runLifecycle(scriptedFunctions);
      assert.ok('result' in baseline.outcome);
      // Building the envelope before the callback endpoint exists reads
      // an undefined variable.
      const mutated = editedCopy((source) => {
        const start = source.indexOf('    - create_reply_endpoint:');
        const middle = source.indexOf('    - build_envelope:');
        const end = source.indexOf('    - publish_envelope:');
        assert.ok(start > 0 && middle > start && end > middle);
        return source.slice(0, start) + source.slice(middle, end) +
          source.slice(start, middle) + source.slice(end);
      });
      try {
        const run = await runLifecycle(scriptedFunctions, mutated.source);
        assert.ok('error' in run.outcome, 'the mutated lifecycle completed');
        assert.ok(run.outcome.error instanceof WorkflowExecutionError);
        assert.match(JSON.stringify(run.outcome.error.error),
          /callback/);
        assert.equal(run.received.filter(
          (message) => message.topicName === 'plan-requests').length, 0);
      } finally {
        mutated.cleanup();
      }
    });

  it('an unsupported construct stops the run naming it and its step',
    async () => {
      const mutated = editedCopy((source) => replaceOnce(source,
        '  steps:\n    - init_job:\n',
        '  steps:\n' +
          '    - fan_out_regions:\n' +
          '        parallel:\n' +
          '          branches:\n' +
          '            - only:\n' +
          '                steps:\n' +
          '                  - noop:\n' +
          '                      assign:\n' +
          '                        - unused: 1\n' +
          '    - init_job:\n'));
      try {
        const run = await runLifecycle(scriptedFunctions, mutated.source);
        assert.ok('error' in run.outcome);
        const error = run.outcome.error;
        assert.ok(error instanceof UnsupportedConstructError,
          `expected UnsupportedConstructError, got ${String(error)}`);
        assert.match(error.message,
          /not supported locally: parallel at step "fan_out_regions"/);
        assert.equal(run.received.length, 0);
      } finally {
        mutated.cleanup();
      }
    });
});
