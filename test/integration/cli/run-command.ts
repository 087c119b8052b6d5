/**
 * Runs `carbon-scheduler` in-process through `main`, capturing what it
 * writes to stdout and stderr.
 */
import {main} from '../../../cli/main.js';

/** What one command run printed and returned. */
export interface CommandRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `carbon-scheduler ...args` and captures its output. */
export async function runCommand(args: readonly string[]): Promise<CommandRun> {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const exitCode = await main(['node', 'carbon-scheduler', ...args]);
    return {exitCode, stdout, stderr};
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}
