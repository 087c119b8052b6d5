import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {Ajv} from 'ajv';
import {parse} from 'yaml';
import {checkWorkflowStructure} from './structural-checks.js';

const WORKFLOWS_DIRECTORY = new URL('../../../workflows/', import.meta.url);
const LIFECYCLE = readFileSync(
  new URL('lifecycle.yaml', WORKFLOWS_DIRECTORY),
  'utf8',
);
const SCHEMA = JSON.parse(
  readFileSync(
    new URL('schema/workflows.schema.json', WORKFLOWS_DIRECTORY),
    'utf8',
  ),
) as object;

// Google's schema is draft-07 and names formats ajv does not bundle.
let compiled: ReturnType<Ajv['compile']> | null = null;
function compileSchema() {
  if (compiled === null) {
    const ajv = new Ajv({allErrors: true, strict: false,
      validateFormats: false});
    compiled = ajv.compile(SCHEMA);
  }
  return compiled;
}

describe('workflows/lifecycle.yaml definition', () => {
  it('passes the Workflows JSON Schema', () => {
    const validate = compileSchema();
    const valid = validate(parse(LIFECYCLE));
    assert.equal(valid, true, JSON.stringify(validate.errors, null, 2));
  });

  it('fails the JSON Schema when a step carries an unknown key', () => {
    const validate = compileSchema();
    const broken = {main: {steps: [{a: {asign: [{x: 1}]}}]}};
    assert.equal(validate(broken), false);
  });

  it('passes the structural checks', () => {
    assert.deepEqual(checkWorkflowStructure(LIFECYCLE), []);
  });

  it('names the lifecycle steps and one request subworkflow', () => {
    const document = parse(LIFECYCLE) as Record<string, unknown>;
    assert.deepEqual(Object.keys(document), ['main', 'request']);
    for (const step of ['call_plan', 'call_launch', 'call_monitor',
      'call_pause', 'call_resume', 'call_footprint']) {
      assert.match(LIFECYCLE, new RegExp(`- ${step}:\\n\\s+call: request\\n`));
    }
  });

  const BROKEN: {name: string; source: string; problem: RegExp}[] = [
    {
      name: 'reports a duplicate step name',
      source: 'main:\n  steps:\n    - a:\n        return: 1\n' +
        '    - a:\n        return: 2\n',
      problem: /step name "a" is not unique/,
    },
    {
      name: 'reports a next that names no step',
      source: 'main:\n  steps:\n    - a:\n        next: nowhere\n',
      problem: /next "nowhere" names no step/,
    },
    {
      name: 'reports a call without a target',
      source: 'main:\n  steps:\n    - a:\n        call: missing_sub\n',
      problem: /call "missing_sub" has no target/,
    },
    {
      name: 'reports an unbalanced expression',
      source: 'main:\n  steps:\n    - a:\n        return: ${(1 + 2}\n',
      problem: /invalid/,
    },
    {
      name: 'reports a connector off the allow-list',
      source: 'main:\n  steps:\n    - a:\n        try:\n' +
        '          call: googleapis.storage.v1.objects.get\n' +
        '        retry: ${http.default_retry}\n',
      problem: /connector "googleapis.storage.v1.objects.get" is not allowed/,
    },
    {
      name: 'reports a connector step without retry',
      source: 'main:\n  steps:\n    - a:\n' +
        '        call: googleapis.pubsub.v1.projects.topics.publish\n',
      problem: /has no explicit retry/,
    },
    {
      name: 'reports an except that does not end in a raise',
      source: 'main:\n  steps:\n    - a:\n        try:\n' +
        '          return: 1\n        except:\n          as: e\n' +
        '          steps:\n            - swallow:\n' +
        '                return: 0\n',
      problem: /except does not end in a raise/,
    },
  ];

  for (const testCase of BROKEN) {
    it(testCase.name, () => {
      const problems = checkWorkflowStructure(testCase.source);
      assert.ok(
        problems.some((problem) => testCase.problem.test(problem)),
        problems.join('\n'),
      );
    });
  }
});
