import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED_FOLDERS = ['shared', 'functions', 'adapters', 'cli', 'trainer',
  'bin'];
const SOURCE_EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|json|ya?ml|sh)$/;
const STRING_LITERAL = /(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g;
const PARENT_THEN_SHARED = /(^|\/)(\.\.\/)+shared(\/|$)/;
const MODULE_SPECIFIER_BEFORE =
  /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)$/;

function isOutsideRepository(path: string): boolean {
  const fromRoot = relative(REPOSITORY_ROOT, path);
  return fromRoot.startsWith('..') || fromRoot.startsWith(sep);
}

/**
 * Paths in one file's text that lead to the shared folder beside the
 * repository. An import is resolved from the file; any other string is
 * resolved both from the file and from the repository root (a working
 * directory a process may run in).
 */
function externalSharedPaths(
  text: string,
  filePath: string,
): string[] {
  const findings: string[] = [];
  if (text.includes('/work/shared')) findings.push('/work/shared');
  for (const match of text.matchAll(STRING_LITERAL)) {
    const literal = match[2] ?? '';
    if (!PARENT_THEN_SHARED.test(literal)) continue;
    const before = text.slice(Math.max(0, match.index - 20), match.index);
    const fromFile = resolve(dirname(filePath), literal);
    const fromRoot = resolve(REPOSITORY_ROOT, literal);
    const isImport = MODULE_SPECIFIER_BEFORE.test(before);
    if (isOutsideRepository(fromFile) ||
        (!isImport && isOutsideRepository(fromRoot))) {
      findings.push(literal);
    }
  }
  return findings;
}

function sourceFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile() && SOURCE_EXTENSIONS.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes(`${sep}node_modules${sep}`));
}

describe('externalSharedPaths', () => {
  const inAdapters = join(REPOSITORY_ROOT, 'adapters', 'local', 'x.ts');
  const inBin = join(REPOSITORY_ROOT, 'bin', 'x.js');

  it('accepts an import of the repository\'s own shared folder', () => {
    assert.deepEqual(externalSharedPaths(
      "import {a} from '../../shared/time/clock.js';", inAdapters), []);
  });

  it('flags an import that climbs out of the repository', () => {
    assert.deepEqual(externalSharedPaths(
      "import x from '../../../shared/data/a.json';", inAdapters),
    ['../../../shared/data/a.json']);
  });

  it('flags a file path read relative to the repository root', () => {
    assert.deepEqual(externalSharedPaths(
      "readFileSync('../shared/data/traces/GB.csv')", inBin),
    ['../shared/data/traces/GB.csv']);
  });

  it('flags the absolute shared data path', () => {
    assert.equal(externalSharedPaths('const p = "/work/shared/data";',
      inBin).length, 1);
  });
});

describe('product sources', () => {
  it('mention no path into the shared folder beside the repository', () => {
    const findings = SCANNED_FOLDERS
      .flatMap((folder) => sourceFiles(join(REPOSITORY_ROOT, folder)))
      .flatMap((path) =>
        externalSharedPaths(readFileSync(path, 'utf8'), path)
          .map((finding) =>
            `${relative(REPOSITORY_ROOT, path)}: ${finding}`));

    assert.deepEqual(findings, []);
  });
});
