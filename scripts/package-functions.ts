/**
 * Builds the deployable source of the eight Cloud Functions into
 * `.build/functions` (the folder `terraform/` archives): type-checks the
 * deployable code, then bundles it with the data it reads and a
 * package.json whose `main` registers every entry point (see
 * scripts/function-deployable.ts).
 *
 * Usage: npm run package:functions [-- --json]
 */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {assembleDeployable} from './function-deployable.js';

const OUTPUT_DIRECTORY = path.resolve('.build/functions');

async function packageFunctions(): Promise<Record<string, unknown>> {
  // Step 1: the deployable code type-checks (the bundler does not).
  const check = spawnSync(
    process.execPath,
    [path.resolve('node_modules/typescript/bin/tsc'), '-p',
      'tsconfig.build.json', '--noEmit'],
    {encoding: 'utf8'},
  );
  if (check.status !== 0) {
    throw new Error(
      'TypeScript check failed; fix the errors and rerun:\n' +
        check.stdout + check.stderr,
    );
  }

  // Step 2: bundle, data and manifest.
  const deployable = await assembleDeployable(OUTPUT_DIRECTORY);
  return {
    outputDirectory: deployable.outputDirectory,
    main: deployable.main,
    dependencies: deployable.dependencies,
    files: deployable.files.length,
  };
}

const json = process.argv.includes('--json');
try {
  const result = await packageFunctions();
  process.stdout.write(json ? JSON.stringify(result) + '\n' :
    `Function source written to ${result.outputDirectory} ` +
    `(main ${result.main})\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
