import {Command, CommanderError} from 'commander';

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

/**
 * The `carbon-scheduler` command. Returns the exit code.
 *
 * @param argv - `process.argv`: node, the script, then the arguments
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('carbon-scheduler')
    .description(
      'Runs training jobs at the cleanest place and time on Google Cloud, ' +
        'pauses them when the grid turns dirty, and accounts for every gram.',
    )
    .exitOverride();
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
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
