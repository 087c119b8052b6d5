import {readLocalPorts} from './local-ports.js';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {SchedulerError} from '../../shared/errors.js';
import {findFreePort} from './free-port.js';

/** Where the gcloud Pub/Sub emulator's launcher lives on Debian images. */
export const DEFAULT_EMULATOR_LAUNCHER =
  '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/' +
  'cloud-pubsub-emulator';

/** Raised when the emulator is missing or does not become ready. */
export class EmulatorError extends SchedulerError {
  constructor(message: string) {
    super('emulator-unavailable', message);
  }
}

/** A running Pub/Sub emulator. */
export interface RunningEmulator {
  readonly host: string;
  readonly port: number;
  /** `host:port`, the value of PUBSUB_EMULATOR_HOST. */
  readonly address: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

/**
 * Starts the real Pub/Sub emulator on a free port and waits until it
 * answers. The child is the JVM launcher itself, so stopping it stops the
 * emulator; it is also stopped when this process exits, on Ctrl-C and on
 * an uncaught failure.
 */
export async function startPubSubEmulator(
  options: {launcher?: string; readyTimeoutMilliseconds?: number} = {},
): Promise<RunningEmulator> {
  const launcher =
    options.launcher ??
    process.env.PUBSUB_EMULATOR_LAUNCHER ??
    DEFAULT_EMULATOR_LAUNCHER;
  checkPrerequisites(launcher);
  const {host, preferredPort} = await readEmulatorPorts();
  installExitHooks();

  // Another process may take the port between the check and the bind:
  // then the emulator exits, and the next try takes a port the OS picks.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await findFreePort(host, attempt === 0 ? preferredPort : 0);
    try {
      return await launch(launcher, host, port,
        options.readyTimeoutMilliseconds ?? 60_000);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function launch(
  launcher: string,
  host: string,
  port: number,
  readyTimeoutMilliseconds: number,
): Promise<RunningEmulator> {
  const child = spawn(launcher, [`--host=${host}`, `--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  running.add(child);

  const stop = () => stopChild(child);
  try {
    await waitUntilReady(child, `http://${host}:${port}/`,
      readyTimeoutMilliseconds, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {host, port, address: `${host}:${port}`, stop};
}

// Fails early, with what to install, when Java or the emulator is absent.
function checkPrerequisites(launcher: string): void {
  if (!existsSync(launcher)) {
    throw new EmulatorError(
      `the Pub/Sub emulator was not found at ${launcher}. Install the ` +
        'Debian package google-cloud-cli-pubsub-emulator (or set ' +
        'PUBSUB_EMULATOR_LAUNCHER to its cloud-pubsub-emulator launcher).',
    );
  }
  const java = spawnSync('java', ['-version'], {encoding: 'utf8'});
  if (java.error || java.status !== 0) {
    throw new EmulatorError(
      'Java was not found on PATH; the Pub/Sub emulator needs Java 17 or ' +
        'newer (Debian package openjdk-17-jre-headless).',
    );
  }
}

async function readEmulatorPorts(): Promise<{
  host: string;
  preferredPort: number;
}> {
  const {pubsub} = readLocalPorts();
  return {host: pubsub.host, preferredPort: pubsub.port};
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  timeoutMilliseconds: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new EmulatorError(
        `the Pub/Sub emulator exited with code ${child.exitCode} before ` +
          `it was ready:\n${output()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok && (await response.text()).trim() === 'Ok') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new EmulatorError(
    `the Pub/Sub emulator did not answer ${url} within ` +
      `${timeoutMilliseconds} ms:\n${output()}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// Stops every emulator this process started, however the process ends.
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
