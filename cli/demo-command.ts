import {accessSync, constants, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import type {Command} from 'commander';
import {FileQuotaChecker} from '../adapters/local/file-quota-checker.js';
import {runDemo, type DemoOptions} from './demo.js';
import {formatDemoSummary} from './demo-summary.js';
import {parseInstantWithOffset} from '../shared/time/instant.js';
import {CommandFailure} from './command-failure.js';
import {newRunDirectory} from './run-directory.js';

/** Default virtual "now" of the demo: a June 2022 morning (UTC). */
export const DEFAULT_DEMO_NOW = '2022-06-14T00:00:00Z';

/** Adds `demo` to the program. */
export function registerDemoCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('demo')
    .description(
      'Run one job through the whole lifecycle on this machine: the real ' +
        'Pub/Sub emulator, the eight functions, the local workflow runner, ' +
        'a real trainer, replayed 2022 grid data and a local ledger.',
    )
    .option('--job <file>', 'job request (JSON or YAML)',
      'examples/jobs/fine-tune-h100.json')
    .option('--now <instant>', 'virtual start instant (RFC 3339 with ' +
      'an offset, e.g. Z)',
      DEFAULT_DEMO_NOW)
    .option('--speed <virtualSecondsPerSecond>',
      'most virtual seconds per real second (0: no limit)', '0')
    .option('--oracle', 'forecasts that see the recorded future', false)
    .option('--run-dir <folder>', 'where blobs, checkpoints and the ledger go')
    .option('--quotas <file>', 'accelerator quota per region (JSON, e.g. ' +
      '{"us-east4": {"NVIDIA_H100_80GB": 0}}); regions without room for ' +
      'the job are excluded')
    .option('--json', 'print one JSON object instead of text', false)
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      // Step 1: every option, checked before the emulator starts.
      const nowMs = parseInstantWithOffset(String(raw.now));
      const speed = Number(raw.speed);
      if (nowMs === null) {
        throw new CommandFailure('invalid-option', `--now: "${raw.now}" ` +
          'is not an RFC 3339 instant with a UTC offset; give e.g. ' +
          DEFAULT_DEMO_NOW);
      }
      if (!Number.isFinite(speed) || speed < 0) {
        throw new CommandFailure('invalid-option', `--speed: ` +
          `"${raw.speed}" is not a number >= 0; give virtual seconds per ` +
          'real second, or 0 for no limit');
      }
      const jobFile = String(raw.job);
      if (!isReadableFile(jobFile)) {
        throw new CommandFailure('invalid-option', `--job: cannot read ` +
          `the file "${jobFile}" (from ${process.cwd()}); give the path ` +
          'of a JSON or YAML job request, e.g. ' +
          'examples/jobs/fine-tune-h100.json in the repository');
      }
      const quotasFile = raw.quotas ? String(raw.quotas) : undefined;
      const quotaProblem = quotasFile === undefined ? null :
        quotaFileProblem(quotasFile);
      if (quotaProblem !== null) {
        throw new CommandFailure('invalid-option', `--quotas: ` +
          quotaProblem);
      }
      const runDirectory = raw.runDir ? String(raw.runDir) :
        newRunDirectory();
      const folderProblem = runFolderProblem(runDirectory);
      if (folderProblem !== null) {
        throw new CommandFailure('invalid-option', `--run-dir: ` +
          `"${runDirectory}" ${folderProblem}`);
      }
      const options: DemoOptions = {
        jobFile,
        nowMs,
        speed,
        oracle: Boolean(raw.oracle),
        json: Boolean(raw.json),
        ...(process.env.PUBSUB_EMULATOR_HOST
          ? {emulatorAddress: process.env.PUBSUB_EMULATOR_HOST}
          : {}),
        runDirectory,
        ...(quotasFile !== undefined ? {quotasFile} : {}),
      };
      const result = await runDemo(options);
      if (options.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else {
        process.stdout.write(formatDemoSummary(result) + '\n');
      }
      setExitCode(result.status === 'completed' ? 0 : 1);
    });
}

// Why the run folder cannot take a new run, else null: a file is in the
// way, or a folder with anything in it holds an earlier run's blobs and
// ledger.
function runFolderProblem(folder: string): string | null {
  let existing;
  try {
    existing = statSync(folder);
  } catch {
    return null;
  }
  if (!existing.isDirectory()) {
    return 'is a file, not a folder; give a new or empty folder for the ' +
      'run';
  }
  try {
    return readdirSync(folder).length === 0 ? null : 'already holds a ' +
      'run (its job ids are taken there, so the job would be a ' +
      'duplicate); give a new or empty folder, or remove this one first';
  } catch {
    return 'cannot be read; give a new or empty folder for the run';
  }
}

// Why the quota file cannot be used, before anything starts; else null.
function quotaFileProblem(file: string): string | null {
  if (!isReadableFile(file)) {
    return `cannot read the file "${file}" (from ${process.cwd()}); give a ` +
      'JSON object of region -> {acceleratorType: limit}';
  }
  try {
    new FileQuotaChecker(file);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
