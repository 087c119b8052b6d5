/**
 * Assembles the deployable source of the eight Cloud Functions in one
 * folder (what `terraform/` archives, and what the cold-start benchmark
 * runs): the bundle, the shipped data it reads, the lifecycle
 * definition, the licence, and a package.json whose `main` registers
 * every entry point and whose dependencies are the packages the bundle
 * leaves external, at the versions this repository pins.
 */
import {cp, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundleFunctions, type FunctionBundle} from './bundle-functions.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The data folders the functions read at run time. */
export const SHIPPED_DATA: readonly string[] = ['regions', 'hardware',
  'prices'];

/** What was assembled. */
export interface FunctionDeployable extends FunctionBundle {
  readonly outputDirectory: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

/** Writes the deployable into `outputDirectory`, emptied first. */
export async function assembleDeployable(
  outputDirectory: string,
): Promise<FunctionDeployable> {
  // Step 1: a clean folder and the bundle.
  await rm(outputDirectory, {recursive: true, force: true});
  await mkdir(outputDirectory, {recursive: true});
  const bundle = await bundleFunctions(outputDirectory);

  // Step 2: the data the functions read at run time, with its notices.
  const from = (...parts: string[]) => path.join(REPOSITORY_ROOT, ...parts);
  for (const folder of SHIPPED_DATA) {
    await cp(from('data', folder),
      path.join(outputDirectory, 'data', folder), {recursive: true});
  }
  await cp(from('data', 'NOTICE.md'),
    path.join(outputDirectory, 'data', 'NOTICE.md'));
  await cp(from('LICENSE'), path.join(outputDirectory, 'LICENSE'));
  await cp(from('workflows'), path.join(outputDirectory, 'workflows'),
    {recursive: true});

  // Step 3: a package.json for the runtime: main, and the external
  // packages only.
  const manifest = JSON.parse(await readFile(from('package.json'),
    'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
  };
  const dependencies: Record<string, string> = {};
  for (const name of bundle.externalPackages) {
    const version = manifest.dependencies[name];
    if (!version) {
      throw new Error(`the bundle imports ${name}, which package.json ` +
        'does not list as a dependency; add it with npm install');
    }
    dependencies[name] = version;
  }
  await writeFile(path.join(outputDirectory, 'package.json'),
    JSON.stringify({
      name: `${manifest.name}-functions`,
      version: manifest.version,
      private: true,
      type: 'module',
      main: bundle.main,
      engines: {node: '>=22'},
      dependencies,
    }, null, 2) + '\n');
  return {...bundle, outputDirectory, dependencies};
}
