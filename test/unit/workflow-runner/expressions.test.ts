import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import {failSnippet, returning, runSnippet} from './run-snippet.js';

// Each case is one `${...}` the runner evaluates as the service would.
const VALUES: {name: string; expression: string; expected: unknown}[] = [
  {name: 'adds integers', expression: '1 + 2', expected: 3},
  {name: 'binds * tighter than +', expression: '1 + 2 * 3', expected: 7},
  {name: 'groups with parentheses', expression: '(1 + 2) * 3', expected: 9},
  {name: 'concatenates strings', expression: '"a" + "b"', expected: 'ab'},
  {name: 'divides into a double', expression: 'string(4 / 2)',
    expected: '2.0'},
  {name: 'floors integer division', expression: 'string(7 // 2)',
    expected: '3'},
  {name: 'floors negative division', expression: '-7 // 2', expected: -4},
  {name: 'takes a floored modulo', expression: '-7 % 3', expected: 2},
  {name: 'mixes integer and double into a double',
    expression: 'string(1 + 0.5)', expected: '1.5'},
  {name: 'compares integer and double by value', expression: '1 == 1.0',
    expected: true},
  {name: 'compares strings', expression: '"a" < "b"', expected: true},
  {name: 'compares lists deeply', expression: '[1, [2]] == [1, [2]]',
    expected: true},
  {name: 'finds a list member with in', expression: '2 in [1, 2]',
    expected: true},
  {name: 'finds a map key with in', expression: '"k" in {"k": 1}',
    expected: true},
  {name: 'binds not looser than ==', expression: 'not 1 == 2',
    expected: true},
  {name: 'short-circuits and', expression: 'false and missing',
    expected: false},
  {name: 'short-circuits or', expression: 'true or missing', expected: true},
  {name: 'reads list and map members', expression: '{"a": [5, 6]}.a[1]',
    expected: 6},
  {name: 'reads a map with a string index', expression: '{"a": 1}["a"]',
    expected: 1},
  {name: 'negates', expression: '-(2 - 5)', expected: 3},
  {name: 'keeps null', expression: 'null', expected: null},
];

// Each case raises a runtime error with these tags.
const ERRORS: {name: string; expression: string; tag: string}[] = [
  {name: 'refuses string + number', expression: '"n" + 1', tag: 'TypeError'},
  {name: 'refuses number + string', expression: '1 + "n"', tag: 'TypeError'},
  {name: 'raises KeyError for a missing key', expression: '{"a": 1}.b',
    tag: 'KeyError'},
  {name: 'raises KeyError for an undefined variable', expression: 'nope',
    tag: 'KeyError'},
  {name: 'raises IndexError past the end', expression: '[1][3]',
    tag: 'IndexError'},
  {name: 'raises ZeroDivisionError', expression: '1 / 0',
    tag: 'ZeroDivisionError'},
  {name: 'refuses a non-boolean in and', expression: '1 and true',
    tag: 'TypeError'},
  {name: 'raises ValueError on integer overflow',
    expression: '9223372036854775807 + 1', tag: 'ValueError'},
];

describe('workflow runner expressions', () => {
  for (const testCase of VALUES) {
    it(testCase.name, async () => {
      const run = await runSnippet(returning(testCase.expression));
      assert.deepEqual(run.result, testCase.expected);
    });
  }

  for (const testCase of ERRORS) {
    it(testCase.name, async () => {
      const error = await failSnippet(returning(testCase.expression));
      assert.ok(error instanceof WorkflowExecutionError);
      const raised = error.error as {tags: string[]};
      assert.deepEqual(raised.tags, [testCase.tag]);
    });
  }

  it('refuses ${} embedded in a longer string', async () => {
    const source = 'main:\n  steps:\n    - a:\n        return: x${1}\n';
    const error = await failSnippet(source);
    assert.match(String(error), /must be the whole value/);
  });
});
