import assert from 'node:assert/strict';
import {
  jobCommandAttributes,
  parseJobCommand,
  requestedByOf,
  type JobCommandMessage,
} from '../../../shared/jobs/job-command.js';

const VALID = {
  schemaVersion: 1,
  commandId: '6f1c0d2e-0b7a-4a55-9a52-0f0c6d3c1a11',
  jobId: 'fine-tune-llama-demo',
  command: 'cancel',
};

function fieldsOf(value: unknown): string[] {
  const parsed = parseJobCommand(value);
  assert.equal(parsed.ok, false);
  return parsed.ok ? [] : parsed.issues.map((issue) => issue.field).sort();
}

describe('job command messages', () => {
  it('accepts each command with the fields it needs', () => {
    for (const command of ['cancel', 'run-now', 'pause', 'resume']) {
      assert.equal(parseJobCommand({...VALID, command}).ok, true, command);
    }
    const extend = parseJobCommand({...VALID, command: 'extend',
      deadline: '2022-06-18T00:00:00+02:00'});
    assert.equal(extend.ok, true);
  });

  it('requires a deadline for extend and names the field', () => {
    const parsed = parseJobCommand({...VALID, command: 'extend'});
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.issues[0]?.field, 'deadline');
    assert.match(parsed.issues[0]!.problem, /required for extend/);
  });

  it('rejects a deadline without a UTC offset', () => {
    assert.deepEqual(fieldsOf({...VALID, command: 'extend',
      deadline: '2022-06-18T00:00:00'}), ['deadline']);
  });

  it('refuses a deadline on any command other than extend', () => {
    assert.deepEqual(fieldsOf({...VALID, deadline: '2022-06-18T00:00:00Z'}),
      ['deadline']);
  });

  it('names every bad field at once', () => {
    assert.deepEqual(fieldsOf({schemaVersion: 2, commandId: '',
      jobId: 'Bad_Id', command: 'replan', colour: 'red'}),
    ['(document)', 'command', 'commandId', 'jobId', 'schemaVersion']);
  });

  it('refuses a command id that cannot be a blob name', () => {
    assert.deepEqual(fieldsOf({...VALID, commandId: '../escape'}),
      ['commandId']);
  });

  it('takes the requester from the attribute before the body', () => {
    const command = {...VALID, requestedBy: 'body@example.com'} as
      JobCommandMessage;
    assert.deepEqual(requestedByOf(command, {requestedBy: 'ops@example.com',
      requestedByOrigin: 'gcloud-account'}), {identity: 'ops@example.com',
      source: 'message-attribute', origin: 'gcloud-account', verified: false});
    assert.equal(requestedByOf(command, {}).source, 'message-body');
    assert.deepEqual(requestedByOf(VALID as JobCommandMessage, {}),
      {identity: null, source: null, origin: null, verified: false});
  });

  it('publishes string attributes naming the job and the command', () => {
    const attributes = jobCommandAttributes({...VALID,
      requestedBy: 'ops@example.com'} as JobCommandMessage, 'option');
    assert.deepEqual(attributes, {jobId: VALID.jobId,
      commandId: VALID.commandId, command: 'cancel',
      requestedBy: 'ops@example.com', requestedByOrigin: 'option'});
  });
});
