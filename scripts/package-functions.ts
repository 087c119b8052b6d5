/**
 * Builds the deployable source of the eight Cloud Functions into
 * `.build/functions` (the folder `terraform/` archives): compiled
 * JavaScript, the shipped data the functions read, and a package.json
 * whose `main` registers every entry point.
 *
 * Usage: npm run package:functions [-- --json]
 */
import {spawnSync} from 'node:child_process';
import {cp, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';

const OUTPUT_DIRECTORY = path.resolve('.build/functions');
const SHIPPED_DATA = ['regions', 'hardware', 'prices'];

async function packageFunctions(): Promise<Record<string, unknown>> {
  // Step 1: a clean folder and a compile of the deployable code.
  await rm(OUTPUT_DIRECTORY, {recursive: true, force: true});
  const compile = spawnSync(
    process.execPath,
    [path.resolve('node_modules/typescript/bin/tsc'), '-p',
      'tsconfig.build.json'],
    {encoding: 'utf8'},
  );
  if (compile.status !== 0) {
    throw new Error(
      'TypeScript compile failed; fix the errors and rerun:\n' +
        compile.stdout + compile.stderr,
    );
  }

  // Step 2: the data the functions read at run time, with its notices.
  for (const folder of SHIPPED_DATA) {
    await cp(path.resolve('data', folder),
      path.join(OUTPUT_DIRECTORY, 'data', folder), {recursive: true});
  }
  await cp(path.resolve('data/NOTICE.md'),
    path.join(OUTPUT_DIRECTORY, 'data/NOTICE.md'));
  await cp(path.resolve('LICENSE'), path.join(OUTPUT_DIRECTORY, 'LICENSE'));
  await cp(path.resolve('workflows'),
    path.join(OUTPUT_DIRECTORY, 'workflows'), {recursive: true});

  // Step 3: a package.json for the runtime: dependencies only, and the
  // module that registers all entry points as `main`.
  const manifest = JSON.parse(await readFile('package.json', 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    engines: Record<string, string>;
  };
  const runtimeManifest = {
    name: `${manifest.name}-functions`,
    version: manifest.version,
    private: true,
    type: 'module',
    main: 'functions/index.js',
    engines: {node: '>=22'},
    dependencies: manifest.dependencies,
  };
  await writeFile(path.join(OUTPUT_DIRECTORY, 'package.json'),
    JSON.stringify(runtimeManifest, null, 2) + '\n');
  await mkdir(OUTPUT_DIRECTORY, {recursive: true});
  return {outputDirectory: OUTPUT_DIRECTORY, main: runtimeManifest.main};
}

const json = process.argv.includes('--json');
try {
  const result = await packageFunctions();
  process.stdout.write(json ? JSON.stringify(result) + '\n' :
    `Function source written to ${result.outputDirectory}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
