/**
 * Runs the benches one after the other, each in its own process with the
 * same arguments, and with --json prints one object:
 * {"planner": ..., "forecastError": ...}.
 *
 * Run: node --import tsx bench/run-all.ts [--json]
 *   [--only planner|forecast-error] [arguments for the benches]
 */
import {spawnSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The benches, by the name --only takes and the key in the JSON. */
const BENCHES = [
  {name: 'planner', key: 'planner', file: 'planner.bench.ts'},
  {name: 'forecast-error', key: 'forecastError', file: 'forecast-error.ts'},
] as const;

const here = dirname(fileURLToPath(import.meta.url));

// The benches to run and the arguments to pass on (--only taken out).
function readArguments(argv: readonly string[]) {
  const position = argv.indexOf('--only');
  if (position === -1) return {selected: [...BENCHES], passed: [...argv]};
  const only = argv[position + 1];
  const bench = BENCHES.find((candidate) => candidate.name === only);
  if (bench === undefined) {
    throw new Error(`--only: ${JSON.stringify(only ?? null)} is not a ` +
      `bench; give one of ${BENCHES.map((b) => b.name).join(', ')}`);
  }
  const passed = argv.filter((_, index) =>
    index !== position && index !== position + 1);
  return {selected: [bench], passed};
}

function main(): number {
  const {selected, passed} = readArguments(process.argv.slice(2));
  const json = passed.includes('--json');
  const combined: Record<string, unknown> = {};
  for (const bench of selected) {
    const child = spawnSync(process.execPath,
      ['--import', 'tsx', join(here, bench.file), ...passed],
      {stdio: json ? ['ignore', 'pipe', 'inherit'] : 'inherit',
        encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
    if (child.status !== 0) {
      console.error(`bench ${bench.name} failed (exit ` +
        `${child.status ?? child.signal}); see its output above`);
      return 1;
    }
    if (json) {
      const lines = child.stdout.trim().split('\n');
      try {
        combined[bench.key] = JSON.parse(lines[lines.length - 1] ?? '');
      } catch {
        console.error(`bench ${bench.name}: its last line is not JSON`);
        return 1;
      }
    }
  }
  if (json) process.stdout.write(JSON.stringify(combined) + '\n');
  return 0;
}

try {
  process.exitCode = main();
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
