import type {Command} from 'commander';
import {JOB_STATES, readSnapshot} from '../shared/jobs/job-snapshot.js';
import type {JobCommandName} from '../shared/jobs/job-command.js';
import {SchedulerError} from '../shared/errors.js';
import {CommandFailure} from './command-failure.js';
import {formatJobList, formatJobStatus, formatPublished} from
  './jobs-format.js';
import {
  findRequester,
  prepareJobCommand,
  publishJobCommand,
} from './jobs-publish.js';
import {openRunStores} from './jobs-run-directory.js';
import {resolveRunDirectory} from './run-directory.js';
import {listJobs, readJobStatus} from './jobs-status.js';

/** The poll interval of local runs, for "next decision" times. */
const DEFAULT_POLL_SECONDS = 1800;

type Options = Record<string, string | boolean | undefined>;

/** Adds `jobs` (list, status and the control commands) to the program. */
export function registerJobsCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const jobs = program
    .command('jobs')
    .description(
      'See and steer jobs: list and status read the job snapshots and the ' +
        'ledger of a run; cancel, run-now, pause, resume and extend publish ' +
        'a command to the job-commands topic and print its command id.');

  jobs.command('list')
    .description('List the jobs of a run, oldest first')
    .option('--state <state>', `only jobs in this state (${JOB_STATES
      .join(', ')})`)
    .option('--project <project>', 'only jobs whose request names this ' +
      'Google Cloud project')
    .option('--run-dir <folder>', 'run folder (default: the newest under ' +
      '.local/runs)')
    .option('--json', 'print JSON instead of a table', false)
    .action((raw: Options) => guard(setExitCode, async () => {
      const state = raw.state === undefined ? undefined : String(raw.state);
      if (state && !(JOB_STATES as readonly string[]).includes(state)) {
        return fail(`--state: "${state}" is not a job state; ` +
          `use one of ${JOB_STATES.join(', ')}`);
      }
      const stores = openRunStores(resolveRunDirectory(text(raw.runDir)));
      const entries = await listJobs(stores.blobs, {
        ...(state ? {state} : {}),
        ...(raw.project ? {project: String(raw.project)} : {}),
      });
      write(raw.json ? {runDirectory: stores.runDirectory, jobs: entries}
        : formatJobList(entries), Boolean(raw.json));
    }));

  jobs.command('status')
    .description('State, plan, segments so far, emissions so far, next ' +
      'decision and when, and the commands received')
    .argument('<jobId>', 'the job id')
    .option('--run-dir <folder>', 'run folder (default: the newest under ' +
      '.local/runs)')
    .option('--poll-seconds <seconds>', 'monitor poll interval of the run',
      String(DEFAULT_POLL_SECONDS))
    .option('--json', 'print one JSON object instead of text', false)
    .action((jobId: string, raw: Options) => guard(setExitCode, async () => {
      const pollSeconds = Number(raw.pollSeconds);
      if (!Number.isFinite(pollSeconds) || pollSeconds <= 0) {
        return fail('--poll-seconds: must be a number of ' +
          `seconds > 0, got "${raw.pollSeconds}"`);
      }
      const stores = openRunStores(resolveRunDirectory(text(raw.runDir)));
      const status = await readJobStatus(stores, jobId, {pollSeconds});
      if (!status) {
        return fail(`jobId: no job "${jobId}" in ` +
          `${stores.runDirectory}; see \`carbon-scheduler jobs list\``);
      }
      write(raw.json ? status : formatJobStatus(status), Boolean(raw.json));
    }));

  const controls: [JobCommandName, string][] = [
    ['cancel', 'Cancel the job (a running segment is checkpointed first)'],
    ['run-now', 'Skip the wait: start (or resume) the job now'],
    ['pause', 'Checkpoint and stop now; hold until `jobs resume`'],
    ['resume', 'Lift an operator pause; a paused job resumes now'],
    ['extend', 'Give the job a later deadline (--deadline)'],
  ];
  for (const [name, description] of controls) {
    const control = jobs.command(name)
      .description(description + '. Publishes to job-commands (the ' +
        'emulator when PUBSUB_EMULATOR_HOST is set) and prints the command ' +
        'id; the acknowledgement arrives on job-events.')
      .argument('<jobId>', 'the job id');
    if (name === 'extend') {
      control.requiredOption('--deadline <instant>',
        'the new deadline, RFC 3339 with an offset, e.g. 2022-06-18T00:00:00Z');
    }
    control
      .option('--project <project>', 'Google Cloud project of the topics ' +
        '(default: GOOGLE_CLOUD_PROJECT)')
      .option('--command-id <id>', 'the idempotency key (default: a new ' +
        'UUID); resend with the same id to retry safely')
      .option('--requested-by <identity>', 'who is asking (default: the ' +
        'gcloud account, or the local user)')
      .option('--json', 'print one JSON object instead of text', false)
      .option('--run-dir <folder>', 'local run whose snapshot is checked ' +
        'for the job first (default: the newest under .local/runs)')
      .action((jobId: string, raw: Options) => guard(setExitCode, async () => {
        // Step 1: the command itself, checked before anything is asked.
        const emulatorAddress = process.env.PUBSUB_EMULATOR_HOST || undefined;
        const requested = {
          jobId,
          command: name,
          ...(raw.deadline !== undefined
            ? {deadline: String(raw.deadline)} : {}),
          ...(raw.commandId ? {commandId: String(raw.commandId)} : {}),
          requester: findRequester(text(raw.requestedBy), !emulatorAddress),
        };
        const prepared = prepareJobCommand(requested);
        const projectId = text(raw.project) ??
          process.env.GOOGLE_CLOUD_PROJECT;
        if (!projectId) {
          return fail('--project: no project given and ' +
            'GOOGLE_CLOUD_PROJECT is not set; give the project whose ' +
            'job-commands topic to publish to');
        }

        // Step 2: a job the local run shows finished or unknown is said.
        const warning = await localJobWarning(jobId, name, text(raw.runDir));
        if (warning) process.stderr.write(`warning: ${warning}\n`);

        // Step 3: publish.
        const published = await publishJobCommand({...requested, projectId,
          ...(emulatorAddress ? {emulatorAddress} : {})}, prepared);
        write(raw.json ? {...published, ...(warning ? {warning} : {})}
          : formatPublished(published), Boolean(raw.json));
      }));
  }
}

// What the local run's snapshot says against sending the command, if
// anything: the job is finished, or the run does not know it.
async function localJobWarning(
  jobId: string,
  command: JobCommandName,
  runDirectory: string | undefined,
): Promise<string | undefined> {
  let stores;
  try {
    stores = openRunStores(resolveRunDirectory(runDirectory, process.cwd(),
      () => {}));
  } catch (error) {
    if (runDirectory !== undefined) throw error;
    return undefined;
  }
  const snapshot = await readSnapshot(stores.blobs, jobId).catch(
    () => undefined);
  if (!snapshot) {
    return `the local run ${stores.runDirectory} has no job "${jobId}"; ` +
      `${command} is sent anyway (see \`carbon-scheduler jobs list\`)`;
  }
  if ((FINISHED_STATES as readonly string[]).includes(snapshot.state)) {
    return `job "${jobId}" is ${snapshot.state} in the local run ` +
      `${stores.runDirectory}; ${command} is sent anyway and will be ` +
      'refused';
  }
  return undefined;
}

/** States a job does not leave. */
const FINISHED_STATES = ['completed', 'failed', 'cancelled'] as const;

// Typed failures are input problems (exit 2), told by cli/main.ts.
async function guard(
  _setExitCode: (code: number) => void,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof SchedulerError) ||
        error instanceof CommandFailure) {
      throw error;
    }
    throw new CommandFailure(error.code, error.message, {cause: error});
  }
}

function fail(message: string): never {
  throw new CommandFailure('invalid-option', message);
}

function write(value: unknown, json: boolean): void {
  process.stdout.write((json ? JSON.stringify(value, null, 2)
    : String(value)) + '\n');
}

function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
