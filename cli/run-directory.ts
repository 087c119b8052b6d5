/**
 * Where `carbon-scheduler demo` leaves its runs (one folder per run,
 * named by its start instant), and which run `jobs`, `report` and
 * `dashboard` read by default: the newest that holds a job.
 */
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';

import {CommandFailure} from './command-failure.js';

/** The folder that holds one sub-folder per demo run. */
export const DEMO_RUNS_DIRECTORY = path.join('.local', 'runs');

/** No run folder can be found or read (exit code 2). */
export class RunDirectoryError extends CommandFailure {
  constructor(message: string) {
    super('run-directory-unavailable', message, {field: '--run-dir'});
  }
}

/** A new run folder's path for a run starting now. */
export function newRunDirectory(now: Date = new Date()): string {
  return path.join(DEMO_RUNS_DIRECTORY,
    now.toISOString().replace(/[:.]/g, '-'));
}

/**
 * The run folder to read: the one given, else the newest folder under
 * `.local/runs` (by modification time, then name) that holds a job. A
 * newer run without jobs (a rejected request) is passed over, and
 * `warn` says so; when no run holds a job, the newest is read.
 *
 * @throws RunDirectoryError when the given folder is not one, or there
 *   is no run at all
 */
export function resolveRunDirectory(
  given: string | undefined,
  workingDirectory = process.cwd(),
  warn: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): string {
  if (given !== undefined) {
    if (!isDirectory(given)) {
      throw new RunDirectoryError(`--run-dir: "${given}" is not a folder; ` +
        'give the folder a demo run wrote (see `demo --run-dir`)');
    }
    return given;
  }

  // Step 1: the runs, newest first.
  const runs = path.join(workingDirectory, DEMO_RUNS_DIRECTORY);
  let names: string[] = [];
  try {
    names = readdirSync(runs).filter((name) =>
      isDirectory(path.join(runs, name)));
  } catch {
    names = [];
  }
  if (names.length === 0) {
    throw new RunDirectoryError(`--run-dir: no run under ${runs}; run ` +
      '`npm run demo` first or give --run-dir DIR');
  }
  const newestFirst = names
    .map((name) => ({name, modifiedMs: statSync(path.join(runs, name))
      .mtimeMs}))
    .sort((a, b) => b.modifiedMs - a.modifiedMs ||
      b.name.localeCompare(a.name))
    .map((run) => path.join(runs, run.name));

  // Step 2: the newest that holds a job; say when newer ones were empty.
  const newest = newestFirst[0]!;
  const withJobs = newestFirst.find(holdsJobs);
  if (withJobs === undefined || withJobs === newest) return newest;
  warn(`note: the newest run ${newest} holds no jobs; reading ${withJobs}, ` +
    'the newest with jobs (give --run-dir to choose another)');
  return withJobs;
}

/** Whether a run folder holds at least one job snapshot. */
export function holdsJobs(runDirectory: string): boolean {
  const jobs = path.join(runDirectory, 'blobs', 'jobs');
  try {
    return readdirSync(jobs).some((jobId) => isFile(path.join(jobs, jobId,
      'snapshot.json')));
  } catch {
    return false;
  }
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
