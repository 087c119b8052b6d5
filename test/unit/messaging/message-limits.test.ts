import assert from 'node:assert/strict';
import {
  ENVELOPE_LIMIT_BYTES,
  JOB_REQUEST_LIMIT_BYTES,
  MAX_NESTING_DEPTH,
  nestingDepth,
  nestingProblem,
  PUBSUB_MESSAGE_LIMIT_BYTES,
  sizeProblem,
} from '../../../shared/messaging/message-limits.js';
import {parseJobDocument} from '../../../shared/schemas/parse-job-document.js';

describe('message limits', () => {
  it('keeps product limits well under the Pub/Sub 10 MB limit', () => {
    assert.equal(PUBSUB_MESSAGE_LIMIT_BYTES, 10 * 1024 * 1024);
    assert.equal(JOB_REQUEST_LIMIT_BYTES, 256 * 1024);
    assert.ok(ENVELOPE_LIMIT_BYTES < JOB_REQUEST_LIMIT_BYTES);
  });

  it('states the size and the limit of an oversized message', () => {
    assert.equal(sizeProblem(JOB_REQUEST_LIMIT_BYTES, JOB_REQUEST_LIMIT_BYTES,
      'job request'), undefined);
    assert.match(
      sizeProblem(300 * 1024, JOB_REQUEST_LIMIT_BYTES, 'job request')!,
      /is 300 KiB \(307200 bytes\); a job request may be at most 256 KiB/);
  });

  it('measures nesting without recursion, even 100000 levels deep', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    assert.ok(nestingDepth(deep, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH);
    assert.equal(nestingDepth({a: [1, {b: 2}]}), 3);
    assert.equal(nestingProblem({a: [1, {b: 2}]}), undefined);
  });

  it('refuses a job request over the limit, naming the size',
    () => {
      const text = `{"owner": "${'x'.repeat(JOB_REQUEST_LIMIT_BYTES)}"}`;
      const result = parseJobDocument(text);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.issues.length, 1);
        assert.equal(result.issues[0]!.field, '(document)');
        assert.match(result.issues[0]!.problem, /at most 256 KiB/);
      }
    });
});
