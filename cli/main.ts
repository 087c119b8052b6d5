import {readFileSync} from 'node:fs';
import {Command, CommanderError} from 'commander';
import {describeFailure, writeFailure} from './failure-report.js';
import type {Failure} from './failure-report.js';
import {fieldOfMessage} from './command-failure.js';

type Register = (
  program: Command,
  setExitCode: (code: number) => void,
) => void;

// Each command's module, loaded only when that command runs (or for the
// help, which lists them all): a command pays for its own clients only.
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  demo: async () => (await import('./demo-command.js')).registerDemoCommand,
  validate: async () =>
    (await import('./validate-command.js')).registerValidateCommand,
  plan: async () => (await import('./plan-command.js')).registerPlanCommand,
  intensity: async () =>
    (await import('./intensity-command.js')).registerIntensityCommand,
  forecast: async () =>
    (await import('./forecast-command.js')).registerForecastCommand,
  regions: async () =>
    (await import('./regions-command.js')).registerRegionsCommand,
  evaluate: async () =>
    (await import('./evaluate-command.js')).registerEvaluateCommand,
  report: async () =>
    (await import('./report-command.js')).registerReportCommand,
  footprint: async () =>
    (await import('./footprint-command.js')).registerFootprintCommand,
  dashboard: async () =>
    (await import('./dashboard-command.js')).registerDashboardCommand,
  jobs: async () => (await import('./jobs-command.js')).registerJobsCommand,
  dlq: async () => (await import('./dlq-command.js')).registerDlqCommand,
};

const EXIT_CODES_HELP = `
Exit codes: 0 done; 1 the run failed (infeasible, not found, a service
refused); 2 the input is unusable (a flag, file or credential: the last
line of stderr names it and says what to do).
Errors end with that one line; with --json, stdout also holds
{"error": {"code", "field", "message"}}. Stacks are printed only with
--verbose or when DEBUG is set (any value).
`;

/** Whether a failure was already told (stray rejections then stay quiet). */
let failureTold = false;

/**
 * The `carbon-scheduler` command. Returns the exit code.
 *
 * @param argv - `process.argv`: node, the script, then the arguments
 */
export async function main(argv: readonly string[]): Promise<number> {
  const words = argumentsOf(argv);
  const output = {json: words.includes('--json'), verbose: isVerbose(argv)};
  const program = new Command()
    .name('carbon-scheduler')
    .description(
      'Runs training jobs at the cleanest place and time on Google Cloud, ' +
        'pauses them when the grid turns dirty, and accounts for every gram.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print the stack of an error (also: DEBUG set)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    // Usage errors are told below, as every other error is.
    .configureOutput({outputError: () => {}});
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = code;
  };

  const named = argv[2];
  const chosen = named !== undefined && named in COMMANDS
    ? [named] : Object.keys(COMMANDS);
  for (const name of chosen) {
    (await COMMANDS[name]!())(program, setExitCode);
  }

  // Step 1: run the command, noting whether it printed a result.
  const printed = watchOutput();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    printed.stop();
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return tell(error, usageFailure(error), output);
    }
    return tell(error, describeFailure(error), output);
  }
  printed.stop();

  // Step 2: a command that told its own error still owes --json its shape.
  // TODO(cli): validate, report and footprint write their error line
  // themselves; this wraps that line until they throw CommandFailure.
  if (exitCode !== 0 && output.json && !printed.stdout &&
      printed.lastErrorLine) {
    process.stdout.write(JSON.stringify({error: {code: exitCode === 2
      ? 'invalid-input' : 'command-failed',
      field: fieldOfMessage(printed.lastErrorLine),
      message: printed.lastErrorLine}}, null, 2) + '\n');
  }
  if (exitCode !== 0) failureTold = true;
  return exitCode;
}

/**
 * Keeps errors the Google clients raise after a command ended (a
 * rejected background promise) to one line, or silent when the command
 * already told its failure. Installed by the bin only.
 */
export function installProcessSafetyNet(argv: readonly string[]): void {
  const output = {json: false, verbose: isVerbose(argv)};
  const stray = (error: unknown) => {
    if (failureTold && !output.verbose) return;
    process.exit(tell(error, describeFailure(error), output));
  };
  process.on('unhandledRejection', stray);
  process.on('uncaughtException', stray);

  // A reader that stops early (`| head`) is not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    stray(error);
  });

  // The metadata-server probe warns where no server answers; the missing
  // credential is told on its own line.
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] :
      (rest[0] as {type?: string} | undefined)?.type;
    if (type === 'MetadataLookupWarning' && !output.verbose) return;
    (emitWarning as (...values: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

function tell(
  error: unknown,
  failure: Failure,
  output: {json: boolean; verbose: boolean},
): number {
  failureTold = true;
  writeFailure(error, failure, output);
  return failure.exitCode;
}

// Commander's usage errors: "error: unknown option '--x'" and the like.
function usageFailure(error: CommanderError): Failure {
  const message = error.message.replace(/^error: /, '').split('\n')
    .map((line) => line.trim()).filter(Boolean).join(' ');
  const named = /'(--?[\w-]+|[\w-]+)[^']*'/.exec(message)?.[1] ?? null;
  const help = error.code === 'commander.help' ||
    error.code === 'commander.helpDisplayed';
  return {code: error.code.replace(/^commander\./, 'usage-'),
    field: named,
    message: help ? 'no command given; see `carbon-scheduler --help`'
      : `${message}; see \`carbon-scheduler --help\``,
    exitCode: 2};
}

// What the command prints, passed through, to know if a result came out.
function watchOutput() {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const seen = {stdout: false, lastErrorLine: '', stop: () => {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }};
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    seen.stdout = true;
    return stdoutWrite.call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const lines = String(chunk).split('\n').map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('{'));
    if (lines.length > 0) seen.lastErrorLine = lines.at(-1)!;
    return stderrWrite.call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  return seen;
}

function argumentsOf(argv: readonly string[]): string[] {
  const words = argv.slice(2);
  const end = words.indexOf('--');
  return end === -1 ? words : words.slice(0, end);
}

function isVerbose(argv: readonly string[]): boolean {
  return argumentsOf(argv).includes('--verbose') ||
    (process.env.DEBUG ?? '') !== '';
}

function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as {version: string})
    .version;
}
