import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {envelopeSchema} from '../../../shared/messaging/envelope.js';
import {parseJobDocument} from '../../../shared/schemas/parse-job-document.js';
import {
  describeIssues,
  type ValidationIssue,
} from '../../../shared/schemas/validation-issues.js';
import {
  CORPUS_ENTRIES,
  CORPUS_NOW_MS,
  corpusBytes,
  type CorpusEntry,
} from '../../fixtures/malformed/corpus.js';

const regionIds = loadRegionCatalog().regions.map((region) => region.id);

// The envelope path of every step function: UTF-8 text, JSON, schema.
function envelopeOutcome(bytes: Buffer):
  {code: string; issues: ValidationIssue[]} {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return {code: 'invalid-json', issues: []};
  }
  const parsed = envelopeSchema.safeParse(value);
  return parsed.success
    ? {code: 'valid', issues: []}
    : {code: 'invalid-envelope', issues: describeIssues(parsed.error)};
}

function assertNamed(entry: CorpusEntry, issues: ValidationIssue[]): void {
  const named = issues.find((issue) => issue.field === entry.field);
  assert.ok(named, `${entry.file}: no reason names ${entry.field}; got ` +
    JSON.stringify(issues));
  assert.ok(named.problem.length >= 12,
    `${entry.file}: reason too terse: "${named.problem}"`);
  if (entry.mentions) {
    assert.ok(named.problem.includes(entry.mentions),
      `${entry.file}: "${named.problem}" does not mention ${entry.mentions}`);
  }
}

describe('the malformed corpus', () => {
  it('holds at least 50 entries, one per committed file', () => {
    assert.ok(CORPUS_ENTRIES.length >= 50);
    const files = ['job-requests', 'envelopes'].flatMap((folder) =>
      readdirSync(`test/fixtures/malformed/${folder}`)
        .map((name) => `${folder}/${name}`));
    assert.deepEqual(
      [...files].sort(),
      CORPUS_ENTRIES.map((entry) => entry.file).sort());
  });

  for (const entry of CORPUS_ENTRIES.filter(
    (candidate) => candidate.topic === 'job-requests')) {
    it(`rejects ${entry.file} (${entry.kind}) naming ${entry.field}`, () => {
      const result = parseJobDocument(corpusBytes(entry), {
        nowMs: CORPUS_NOW_MS, regionIds});
      assert.equal(result.ok, false, `${entry.file} was accepted`);
      if (!result.ok) assertNamed(entry, result.issues);
    });
  }

  for (const entry of CORPUS_ENTRIES.filter(
    (candidate) => candidate.topic !== 'job-requests')) {
    const expected = entry.code ?? `a reason naming ${entry.field}`;
    it(`refuses the envelope ${entry.file} (${entry.kind}) with ${expected}`,
      () => {
        const outcome = envelopeOutcome(corpusBytes(entry));
        if (entry.code) {
          assert.equal(outcome.code, entry.code);
        } else {
          assert.equal(outcome.code, 'invalid-envelope');
          assertNamed(entry, outcome.issues);
        }
      });
  }
});
