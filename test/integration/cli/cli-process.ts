/**
 * Runs the real `carbon-scheduler` bin in a child process, as a user
 * would, so what reaches the terminal (stacks included) is what is seen.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('bin/carbon-scheduler.js');

/** What one run of the bin printed and returned. */
export interface BinRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last non-empty line of stderr. */
  readonly lastLine: string;
}

/** Options of one run. */
export interface BinOptions {
  /** Variables set (a string) or removed (null) for the child. */
  readonly env?: Readonly<Record<string, string | null>>;
  readonly cwd?: string;
}

/** Runs `carbon-scheduler ...args`. */
export function runBin(
  args: readonly string[],
  options: BinOptions = {},
): Promise<BinRun> {
  const env: NodeJS.ProcessEnv = {...process.env};
  delete env.DEBUG;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {env,
      cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({status, stdout, stderr,
      lastLine: stderr.split('\n').filter((line) => line.trim() !== '')
        .at(-1) ?? ''}));
  });
}

/** Whether the text holds a stack trace. */
export function hasStack(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text) || /Node\.js v\d+/.test(text);
}

/** The `{"error": ...}` object --json printed, checked for its shape. */
export function errorObject(run: BinRun): {code: string;
  field: string | null; message: string} {
  const printed = JSON.parse(run.stdout) as {error?: Record<string,
    unknown>};
  const error = printed.error;
  if (!error || typeof error.code !== 'string' ||
      typeof error.message !== 'string' ||
      !(error.field === null || typeof error.field === 'string') ||
      Object.keys(error).sort().join() !== 'code,field,message') {
    throw new Error(`not {"error": {code, field, message}}: ${run.stdout}`);
  }
  return error as {code: string; field: string | null; message: string};
}
