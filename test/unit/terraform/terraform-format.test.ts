import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

describe('the Terraform module formatting', () => {
  it('passes terraform fmt -check -recursive', () => {
    const result = spawnSync(
      'terraform',
      ['fmt', '-check', '-recursive', '-diff', 'terraform'],
      {encoding: 'utf8', env: {...process.env, TF_CLI_CONFIG_FILE: '/dev/null'}},
    );
    if (result.error) {
      assert.fail(
        'terraform is not on PATH (' + result.error.message + '): install ' +
          'Terraform 1.5 or newer to run this check',
      );
    }
    assert.equal(
      result.status,
      0,
      'terraform fmt found unformatted files; run ' +
        '`terraform fmt -recursive terraform`:\n' + result.stdout,
    );
  });
});
