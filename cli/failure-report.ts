/**
 * How any error that ends a command is told: one line on stderr naming
 * the flag or credential and what to do, `{"error": {code, field,
 * message}}` on stdout with --json, and the exit code (2: the input is
 * unusable, 1: the run failed). Stacks only with --verbose or DEBUG.
 */
import {CommandFailure} from './command-failure.js';
import {SchedulerError} from '../shared/errors.js';

/** An error as the user is told it. */
export interface Failure {
  readonly code: string;
  readonly field: string | null;
  readonly message: string;
  readonly exitCode: 1 | 2;
}

/** How a failure is written. */
export interface FailureOutput {
  readonly json: boolean;
  readonly verbose: boolean;
}

/** Codes of the product's typed errors that mean "fix the input". */
const INPUT_CODES = new Set([
  'invalid-option', 'unknown-provider', 'unknown-region',
  'invalid-coordinates', 'invalid-forecast-horizon', 'provider-unavailable',
  'plan-input-invalid', 'invalid-job-command', 'run-directory-unavailable',
  'no-run-directory', 'evaluation-input',
]);

const CREDENTIALS_MESSAGE = 'Google credentials: none found; set ' +
  'GOOGLE_APPLICATION_CREDENTIALS to a key file or run `gcloud auth ' +
  'application-default login` (for the local emulator, set ' +
  'PUBSUB_EMULATOR_HOST instead)';

// gRPC status codes the Google clients raise.
const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAVAILABLE = 14;
const GRPC_UNAUTHENTICATED = 16;

/** What to tell the user about `error`. */
export function describeFailure(error: unknown): Failure {
  // Step 1: the product's own errors say what they are.
  if (error instanceof CommandFailure) {
    return {code: error.code, field: error.field, message: error.message,
      exitCode: error.exitCode};
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isCredentialsError(error)) {
    return {code: 'credentials-missing',
      field: 'GOOGLE_APPLICATION_CREDENTIALS', message: CREDENTIALS_MESSAGE,
      exitCode: 2};
  }
  if (error instanceof SchedulerError) {
    const typed = error as SchedulerError & {field?: unknown;
      exitCode?: unknown};
    const exitCode = typed.exitCode === 1 || typed.exitCode === 2
      ? typed.exitCode : INPUT_CODES.has(error.code) ? 2 : 1;
    return {code: error.code, field: typeof typed.field === 'string'
      ? typed.field : new CommandFailure(error.code, message).field,
    message, exitCode};
  }

  // Step 2: what Google clients and the file system raise.
  const grpc = grpcFailure(error);
  if (grpc) return grpc;
  const file = fileFailure(error);
  if (file) return file;

  // Step 3: anything else is a fault of this program.
  return {code: 'internal-error', field: null,
    message: `unexpected failure: ${firstLine(message)}; rerun with ` +
      '--verbose (or DEBUG=1) for the stack, and report it', exitCode: 1};
}

/** Writes the failure: the stack when verbose, then the one line. */
export function writeFailure(
  error: unknown,
  failure: Failure,
  output: FailureOutput,
): void {
  if (output.json) {
    process.stdout.write(JSON.stringify({error: {code: failure.code,
      field: failure.field, message: failure.message}}, null, 2) + '\n');
  }
  if (output.verbose && error instanceof Error && error.stack) {
    process.stderr.write(error.stack + '\n');
  }
  process.stderr.write(firstLine(failure.message) + '\n');
}

/** Whether the error is Google's "no application default credentials". */
export function isCredentialsError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Could not load the default credentials/i.test(message) ||
    (error as {code?: unknown} | null)?.code === GRPC_UNAUTHENTICATED;
}

function grpcFailure(error: unknown): Failure | null {
  const code = (error as {code?: unknown} | null)?.code;
  const details = String((error as {details?: unknown}).details ??
    (error as Error).message);
  if (code === GRPC_NOT_FOUND) {
    return {code: 'not-found', field: '--project', message: `--project: ` +
      `${details} (Google Cloud said NOT_FOUND); check the project id and ` +
      'deploy first (terraform/), or run the demo\'s local topology',
    exitCode: 1};
  }
  if (code === GRPC_PERMISSION_DENIED) {
    return {code: 'permission-denied', field: '--project', message:
      `--project: permission denied (${details}); use an account with ` +
      'access to the project (gcloud auth application-default login)',
    exitCode: 1};
  }
  if (code === GRPC_UNAVAILABLE) {
    return {code: 'service-unavailable', field: 'PUBSUB_EMULATOR_HOST',
      message: `Pub/Sub unreachable (${details}); check the network, or ` +
        'that the emulator at PUBSUB_EMULATOR_HOST is running',
      exitCode: 1};
  }
  return null;
}

function fileFailure(error: unknown): Failure | null {
  const failed = error as NodeJS.ErrnoException | null;
  if (typeof failed?.code !== 'string' || typeof failed.path !== 'string' ||
      !/^E[A-Z]+$/.test(failed.code)) {
    return null;
  }
  const why: Record<string, string> = {
    EEXIST: 'a file of that name is in the way',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'it does not exist',
    EACCES: 'permission denied',
    EISDIR: 'it is a folder, not a file',
  };
  return {code: 'file-unusable', field: null, message: `cannot use ` +
    `"${failed.path}" (${failed.syscall ?? 'open'}: ` +
    `${why[failed.code] ?? failed.code}); give another path`, exitCode: 2};
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).filter(Boolean)
    .join(' ');
}
