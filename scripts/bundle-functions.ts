/**
 * Compiles the eight Cloud Functions into the deployable's JavaScript:
 * one ES module bundle whose main registers every entry point, split
 * into chunks at each `import()` so a function loads only its own
 * handler and clients, on its first event.
 *
 * What is bundled: the product's own modules and zod (pure ES modules,
 * many small files: reading them one by one is most of their load
 * time). What stays in node_modules, installed by the runtime from the
 * deployable's package.json: every other package (the Google clients
 * read their protocol files beside themselves; axios and yaml are
 * CommonJS with Node built-ins).
 *
 * The bundle sits two folders below the deployable's root
 * (`bundle/functions/`), where the compiled modules sat, so the data
 * they find beside themselves (`../../data/`) is found the same way.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** Packages compiled into the bundle; every other one stays external. */
export const BUNDLED_PACKAGES: readonly string[] = ['zod'];

/** Where main lies, relative to the deployable's root. */
export const BUNDLE_MAIN = 'bundle/functions/index.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What a bundle build produced. */
export interface FunctionBundle {
  /** The main module, relative to the output root. */
  readonly main: string;
  /** Packages the bundle imports at run time, by name. */
  readonly externalPackages: readonly string[];
  /** Files written (chunks and source maps), relative to the root. */
  readonly files: readonly string[];
}

/** Bundles `functions/index.ts` into `<outputRoot>/bundle/functions/`. */
export async function bundleFunctions(
  outputRoot: string,
): Promise<FunctionBundle> {
  const {build} = await import('esbuild');
  const {dependencies} = JSON.parse(await readFile(
    path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };

  // Step 1: every dependency external except the bundled ones.
  const external = Object.keys(dependencies)
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);

  // Step 2: one build, split at each dynamic import.
  const outdir = path.join(outputRoot, path.dirname(BUNDLE_MAIN));
  const result = await build({
    absWorkingDir: REPOSITORY_ROOT,
    entryPoints: {index: 'functions/index.ts'},
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    external,
    sourcemap: true,
    metafile: true,
    logLevel: 'error',
  });

  // Step 3: what the runtime must install.
  const externalPackages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !imported.path.startsWith('node:')) {
        externalPackages.add(packageName(imported.path));
      }
    }
  }
  const files = Object.keys(result.metafile.outputs).map((file) =>
    path.relative(outputRoot, path.resolve(REPOSITORY_ROOT, file)));
  return {
    main: BUNDLE_MAIN,
    externalPackages: [...externalPackages].sort(),
    files: files.sort(),
  };
}

// `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`.
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
