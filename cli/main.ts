import {Command, CommanderError} from 'commander';
import {registerDemoCommand} from './demo-command.js';

/**
 * The `carbon-scheduler` command. Returns the exit code.
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
  registerDemoCommand(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
