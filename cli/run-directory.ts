/**
 * Where `carbon-scheduler demo` leaves its runs (one folder per run,
 * named by its start instant), and how other commands find the newest.
 */
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';

import {SchedulerError} from '../shared/errors.js';

/** The folder that holds one sub-folder per demo run. */
export const DEMO_RUNS_DIRECTORY = path.join('.local', 'runs');

/** No run folder was given and none exists. */
export class NoRunDirectoryError extends SchedulerError {
  constructor() {
    super('no-run-directory', `--run-dir: no demo run under ` +
      `${DEMO_RUNS_DIRECTORY} (from ${process.cwd()}); run \`npm run ` +
      'demo` first or give --run-dir');
  }
}

/** A new run folder's path for a run starting now. */
export function newRunDirectory(now: Date = new Date()): string {
  return path.join(DEMO_RUNS_DIRECTORY,
    now.toISOString().replace(/[:.]/g, '-'));
}

/**
 * The newest run folder (names sort by start instant).
 *
 * @throws NoRunDirectoryError when there is none
 */
export function latestRunDirectory(): string {
  let names: string[] = [];
  try {
    names = readdirSync(DEMO_RUNS_DIRECTORY)
      .filter((name) => isDirectory(path.join(DEMO_RUNS_DIRECTORY, name)))
      .sort();
  } catch {
    names = [];
  }
  const latest = names.at(-1);
  if (latest === undefined) throw new NoRunDirectoryError();
  return path.join(DEMO_RUNS_DIRECTORY, latest);
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
