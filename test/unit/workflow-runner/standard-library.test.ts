import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import {failSnippet, returning, runSnippet} from './run-snippet.js';

const VALUES: {name: string; expression: string; expected: unknown}[] = [
  {name: 'formats epoch seconds as RFC 3339 UTC',
    expression: 'time.format(1740787200)',
    expected: '2025-03-01T00:00:00.000Z'},
  {name: 'parses RFC 3339 with an offset into seconds',
    expression: 'time.parse("2025-03-01T01:00:00+01:00")',
    expected: 1740787200},
  {name: 'reads sys.now as virtual seconds', expression: 'sys.now()',
    expected: 1740787200},
  {name: 'keeps integers and doubles apart in JSON',
    expression: 'json.encode_to_string({"i": 1, "d": 1.0, "s": "x"})',
    expected: '{"i":1,"d":1.0,"s":"x"}'},
  {name: 'decodes JSON integers as integers',
    expression: 'get_type(json.decode("{\\"n\\": 3}").n)',
    expected: 'integer'},
  {name: 'round-trips bytes through base64 and JSON',
    expression: 'json.decode(base64.decode(base64.encode(json.encode([1]))))',
    expected: [1]},
  {name: 'encodes JSON bytes as base64 text',
    expression: 'base64.encode(json.encode({"a": 1}))',
    expected: Buffer.from('{"a":1}').toString('base64')},
  {name: 'splits text', expression: 'text.split("a:b", ":")',
    expected: ['a', 'b']},
  {name: 'replaces all occurrences', expression:
    'text.replace_all("a-b-c", "-", "+")', expected: 'a+b+c'},
  {name: 'reads a missing key with map.get as null',
    expression: 'map.get({"a": 1}, "b")', expected: null},
  {name: 'reads a nested path with map.get',
    expression: 'map.get({"a": {"b": 2}}, ["a", "b"])', expected: 2},
  {name: 'lists keys in insertion order',
    expression: 'keys({"b": 1, "a": 2})', expected: ['b', 'a']},
  {name: 'measures length', expression: 'len([1, 2, 3]) + len("ab")',
    expected: 5},
  {name: 'converts to text without a decimal for integers',
    expression: 'string(12)', expected: '12'},
  {name: 'truncates a double with int', expression: 'int(2.7)', expected: 2},
  {name: 'parses an integer string', expression: 'int("42")', expected: 42},
  {name: 'converts to double', expression: 'get_type(double(2))',
    expected: 'double'},
  {name: 'falls back with default on null',
    expression: 'default(null, "x")', expected: 'x'},
  {name: 'keeps a present value with default',
    expression: 'default(0, "x")', expected: 0},
  {name: 'appends with list.concat', expression: 'list.concat([1], 2)',
    expected: [1, 2]},
  {name: 'retries 503 with the default predicate',
    expression: 'http.default_retry_predicate({"code": 503})',
    expected: true},
  {name: 'does not retry 400 with the default predicate',
    expression: 'http.default_retry_predicate({"code": 400})',
    expected: false},
];

describe('workflow runner standard library', () => {
  for (const testCase of VALUES) {
    it(testCase.name, async () => {
      const run = await runSnippet(returning(testCase.expression));
      assert.deepEqual(run.result, testCase.expected);
    });
  }

  it('refuses base64.encode of a string (bytes only)', async () => {
    const error = await failSnippet(returning('base64.encode("x")'));
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['TypeError']);
  });

  it('sleeps in virtual seconds and until an instant', async () => {
    const run = await runSnippet(`
main:
  steps:
    - nap:
        call: sys.sleep
        args:
          seconds: 90
    - until:
        call: sys.sleep_until
        args:
          time: "2025-03-01T01:00:00Z"
    - past:
        call: sys.sleep_until
        args:
          time: "2025-02-01T00:00:00Z"
    - answer:
        return: \${time.format(sys.now())}
`);
    assert.equal(run.result, '2025-03-01T01:00:00.000Z');
    assert.equal(run.elapsedSeconds, 3600);
  });

  it('refuses a negative sleep with ValueError', async () => {
    const error = await failSnippet(`
main:
  steps:
    - nap:
        call: sys.sleep
        args:
          seconds: -1
`);
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['ValueError']);
  });

  it('refuses a sleep over a year with ValueError', async () => {
    const error = await failSnippet(`
main:
  steps:
    - nap:
        call: sys.sleep
        args:
          seconds: 31536001
`);
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['ValueError']);
  });

  it('passes sys.log entries to the log sink', async () => {
    const run = await runSnippet(`
main:
  steps:
    - note:
        call: sys.log
        args:
          severity: WARNING
          json:
            n: 1
`);
    assert.deepEqual(
      run.logs.map(({severity, data}) => ({severity, data})),
      [{severity: 'WARNING', data: {n: 1}}],
    );
  });

  it('times out an await_callback on the virtual clock', async () => {
    const run = await runSnippet(`
main:
  steps:
    - make:
        call: events.create_callback_endpoint
        args:
          http_callback_method: POST
        result: callback
    - wait:
        try:
          call: events.await_callback
          args:
            callback: \${callback}
            timeout: 120
        except:
          as: e
          steps:
            - handle:
                return: \${e.tags}
`);
    assert.deepEqual(run.result, ['TimeoutError']);
    assert.equal(run.elapsedSeconds, 120);
  });
});
