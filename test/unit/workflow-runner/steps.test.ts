import assert from 'node:assert/strict';
import {
  UnsupportedConstructError,
  WorkflowExecutionError,
} from '../../../adapters/local/workflow-runner/workflow-errors.js';
import {failSnippet, runSnippet} from './run-snippet.js';

// Conformance snippets for control flow; YAML is kept as the service
// would take it.
describe('workflow runner steps', () => {
  it('assigns in order and into map members', async () => {
    const run = await runSnippet(`
main:
  steps:
    - build:
        assign:
          - record: {a: 1}
          - record.b: \${record.a + 1}
          - record["c"]: 3
          - items: [10, 20]
          - items[1]: 21
    - answer:
        return: \${[record, items]}
`);
    assert.deepEqual(run.result, [{a: 1, b: 2, c: 3}, [10, 21]]);
  });

  it('copies values on assignment', async () => {
    const run = await runSnippet(`
main:
  steps:
    - build:
        assign:
          - first: {n: 1}
          - second: \${first}
          - second.n: 2
    - answer:
        return: \${first.n}
`);
    assert.equal(run.result, 1);
  });

  it('passes the argument parsed once from its JSON string', async () => {
    const run = await runSnippet(`
main:
  params: [args]
  steps:
    - answer:
        return: \${[args.gpuCount + 1, get_type(args.gpuCount)]}
`, {argument: '{"gpuCount":8}'});
    assert.deepEqual(run.result, [9, 'integer']);
  });

  it('takes the first true switch condition and its next', async () => {
    const run = await runSnippet(`
main:
  steps:
    - pick:
        switch:
          - condition: \${1 > 2}
            next: wrong
          - condition: \${2 > 1}
            next: right
        next: wrong
    - wrong:
        return: wrong
    - right:
        return: right
`);
    assert.equal(run.result, 'right');
  });

  it('runs the steps of a condition, then the step after the switch',
    async () => {
      const run = await runSnippet(`
main:
  steps:
    - init:
        assign:
          - trail: ""
    - pick:
        switch:
          - condition: true
            steps:
              - mark:
                  assign:
                    - trail: \${trail + "in"}
    - after:
        return: \${trail + "-after"}
`);
      assert.equal(run.result, 'in-after');
    });

  it('ends the execution with next end and returns null', async () => {
    const run = await runSnippet(`
main:
  steps:
    - stop:
        next: end
    - never:
        return: reached
`);
    assert.equal(run.result, null);
  });

  it('jumps from nested steps to an outer step', async () => {
    const run = await runSnippet(`
main:
  steps:
    - outer:
        steps:
          - inner:
              next: target
    - skipped:
        return: skipped
    - target:
        return: target
`);
    assert.equal(run.result, 'target');
  });

  it('loops over a list with index, continue and break', async () => {
    const run = await runSnippet(`
main:
  steps:
    - init:
        assign:
          - seen: []
    - walk:
        for:
          value: item
          index: position
          in: [a, b, c, d]
          steps:
            - skip_b:
                switch:
                  - condition: \${item == "b"}
                    next: continue
            - stop_at_d:
                switch:
                  - condition: \${item == "d"}
                    next: break
            - note:
                assign:
                  - seen: \${list.concat(seen, item + string(position))}
    - answer:
        return: \${seen}
`);
    assert.deepEqual(run.result, ['a0', 'c2']);
  });

  it('iterates an inclusive range', async () => {
    const run = await runSnippet(`
main:
  steps:
    - init:
        assign:
          - total: 0
    - sum:
        for:
          value: n
          range: [1, 4]
          steps:
            - add:
                assign:
                  - total: \${total + n}
    - answer:
        return: \${total}
`);
    assert.equal(run.result, 10);
  });

  it('drops variables created inside a loop when it ends', async () => {
    const error = await failSnippet(`
main:
  steps:
    - loop:
        for:
          value: n
          in: [1]
          steps:
            - make:
                assign:
                  - local: \${n}
    - answer:
        return: \${local}
`);
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['KeyError']);
  });

  it('calls a subworkflow with params and defaults', async () => {
    const run = await runSnippet(`
main:
  steps:
    - call_it:
        call: scale
        args:
          value: 3
        result: scaled
    - answer:
        return: \${scaled}
scale:
  params: [value, factor: 10]
  steps:
    - compute:
        return: \${value * factor}
`);
    assert.equal(run.result, 30);
  });

  it('keeps a subworkflow from seeing the caller variables', async () => {
    const error = await failSnippet(`
main:
  steps:
    - init:
        assign:
          - secret: 1
    - call_it:
        call: peek
peek:
  steps:
    - look:
        return: \${secret}
`);
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['KeyError']);
  });

  it('raises a string and a map', async () => {
    const text = await failSnippet(`
main:
  steps:
    - fail:
        raise: plain failure
`);
    assert.ok(text instanceof WorkflowExecutionError);
    assert.equal(text.error, 'plain failure');
    const map = await failSnippet(`
main:
  steps:
    - fail:
        raise:
          code: 7
          message: \${"m" + "n"}
`);
    assert.ok(map instanceof WorkflowExecutionError);
    assert.deepEqual(map.error, {code: 7, message: 'mn'});
  });

  it('stops on parallel, naming the step', async () => {
    const error = await failSnippet(`
main:
  steps:
    - fan_out:
        parallel:
          branches:
            - a:
                steps:
                  - x:
                      return: 1
`);
    assert.ok(error instanceof UnsupportedConstructError);
    assert.match(error.message,
      /not supported locally: parallel at step "fan_out"/);
  });

  it('stops on a function outside the subset', async () => {
    const error = await failSnippet(`
main:
  steps:
    - fetch:
        call: http.get
        args:
          url: https://example.com
`);
    assert.ok(error instanceof UnsupportedConstructError);
    assert.match(error.message,
      /not supported locally: call http\.get at step "fetch"/);
  });

  it('raises ResourceLimitError past 512 KB of variables', async () => {
    const error = await failSnippet(`
main:
  steps:
    - init:
        assign:
          - chunk: 0123456789abcdef
    - double_up:
        for:
          value: n
          range: [1, 16]
          steps:
            - twice:
                assign:
                  - chunk: \${chunk + chunk}
`);
    assert.ok(error instanceof WorkflowExecutionError, String(error));
    assert.deepEqual(
      (error.error as {tags: string[]}).tags,
      ['ResourceLimitError'],
    );
  });
});
