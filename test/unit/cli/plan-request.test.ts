import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {PlanCommandError} from '../../../cli/plan-errors.js';
import {checkForecastDirectory} from '../../../cli/plan-forecast-files.js';
import {parseDuration} from '../../../cli/plan-request.js';

// The message of the PlanCommandError `run` throws.
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PlanCommandError);
    return error.message;
  }
  assert.fail('expected a PlanCommandError');
}

describe('plan request checks', () => {
  it('says a zero duration must be greater than 0', () => {
    assert.match(messageOf(() => parseDuration('0h')),
      /^--duration: must be greater than 0, got "0h"/);
    assert.match(messageOf(() => parseDuration('0m')), /greater than 0/);
  });

  it('still calls text that is no duration not a duration', () => {
    assert.match(messageOf(() => parseDuration('eight')),
      /"eight" is not a duration/);
    assert.equal(parseDuration('1h30m'), 90 * 60_000);
  });

  describe('the --forecasts folder', () => {
    let folder: string;
    beforeEach(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'plan-forecasts-'));
    });
    afterEach(() => rmSync(folder, {recursive: true, force: true}));

    it('says a folder that does not exist does not exist', () => {
      assert.match(messageOf(() =>
        checkForecastDirectory(path.join(folder, 'missing'))),
      /^--forecasts: ".*missing" does not exist/);
    });

    it('says a file is not a folder', () => {
      const file = path.join(folder, 'NL.json');
      writeFileSync(file, '{}');
      assert.match(messageOf(() => checkForecastDirectory(file)),
        /is a file, not a folder/);
    });

    it('says a folder without <ZONE>.json files holds none', () => {
      writeFileSync(path.join(folder, 'notes.txt'), 'no forecasts');
      assert.match(messageOf(() => checkForecastDirectory(folder)),
        /holds no <ZONE>\.json files/);
    });

    it('accepts a folder with a zone file', () => {
      writeFileSync(path.join(folder, 'NL.json'), '{"forecast": []}');
      assert.doesNotThrow(() => checkForecastDirectory(folder));
    });
  });
});
