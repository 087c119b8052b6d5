import {fork} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {TrainerMessage} from '../../trainer/trainer-protocol.js';
import type {
  ReadyReply,
  RunCommand,
  TrainerReply,
} from '../../trainer/trainer-protocol.js';
import type {TrainerTestFault} from '../../trainer/trainer-test-faults.js';
import {describeIssues} from '../../shared/schemas/validation-issues.js';
import {
  TrainerExitedError,
  TrainerProtocolError,
} from './local-training-errors.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRAINER_ENTRY = fileURLToPath(
  new URL('../../trainer/main.ts', import.meta.url),
);
// Characters of stdout and stderr kept for a failed job's report.
const TAIL_CHARACTERS = 8192;

/** How to start a trainer. */
export interface TrainerProcessOptions {
  readonly jobDir: string;
  readonly maxSteps: number;
  readonly checkpointEverySteps: number;
  readonly seed: number;
  /** A fault the trainer is to suffer (tests only); absent: none. */
  readonly testFault?: TrainerTestFault;
  /** Called with each complete stderr line (JSON) of the trainer. */
  readonly onLogLine?: (line: string) => void;
}

/** How a trainer process ended. */
export interface TrainerExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
}

/**
 * One trainer child process (`node --import tsx trainer/main.ts`) behind
 * an IPC channel: commands go out one at a time, each answered by exactly
 * one reply, in order.
 */
export class TrainerProcess {
  /** Resolves with the trainer's ready message; rejects if it dies first. */
  readonly ready: Promise<ReadyReply>;
  /** Resolves once the process has exited and its output is drained. */
  readonly exited: Promise<TrainerExit>;

  private readonly child: ChildProcess;
  private outputTail = '';
  private partialLine = '';
  private exit: TrainerExit | null = null;
  private waiting: {
    resolve: (reply: TrainerReply) => void;
    reject: (error: Error) => void;
  } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private resolveReady: (ready: ReadyReply) => void = () => {};
  private rejectReady: (error: Error) => void = () => {};

  /** Starts the trainer for `options`. */
  constructor(private readonly options: TrainerProcessOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {});
    this.child = fork(TRAINER_ENTRY, argumentsOf(options), {
      cwd: REPOSITORY_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) =>
        resolve(this.noteExit(code, signal)),
      );
      this.child.once('error', (error) => {
        this.keepOutput(`spawn failed: ${error.message}\n`);
        if (this.child.exitCode === null && !this.child.pid) {
          resolve(this.noteExit(null, null));
        }
      });
    });
    this.child.stdout?.on('data', (chunk: Buffer) =>
      this.keepOutput(chunk.toString('utf8')),
    );
    this.child.stderr?.on('data', (chunk: Buffer) =>
      this.readStderr(chunk.toString('utf8')),
    );
    this.child.on('message', (message: unknown) => this.receive(message));
  }

  /** The operating system's id of the child, when it started. */
  get processId(): number | null {
    return this.child.pid ?? null;
  }

  /** How the process ended, or null while it runs. */
  exitStatus(): TrainerExit | null {
    return this.exit;
  }

  /** True until the process has exited. */
  isRunning(): boolean {
    return this.exit === null;
  }

  /**
   * Sends one command after the trainer is ready and every earlier
   * command was answered.
   *
   * @returns the trainer's reply
   * @throws TrainerExitedError when the process ends first
   */
  request(command: RunCommand): Promise<TrainerReply> {
    const exchange = this.queue.then(async () => {
      await this.ready;
      return this.exchange(command);
    });
    this.queue = exchange.catch(() => {});
    return exchange;
  }

  /** Signals the process; a no-op once it has exited. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.isRunning()) this.child.kill(signal);
  }

  private exchange(command: RunCommand): Promise<TrainerReply> {
    if (this.exit) return Promise.reject(this.exitedError(this.exit));
    return new Promise((resolve, reject) => {
      this.waiting = {resolve, reject};
      this.child.send(command, (error) => {
        if (error && this.waiting?.reject === reject) {
          this.waiting = null;
          reject(error);
        }
      });
    });
  }

  private receive(message: unknown): void {
    const parsed = TrainerMessage.safeParse(message);
    if (!parsed.success) {
      const reason = describeIssues(parsed.error)
        .map((issue) => `${issue.field} ${issue.problem}`)
        .join('; ');
      this.settle(new TrainerProtocolError(`trainer message: ${reason}`));
      return;
    }
    const reply = parsed.data;
    if (reply.type === 'ready') {
      this.resolveReady(reply);
    } else if (reply.type === 'rejected') {
      this.settle(new TrainerProtocolError(reply.reason));
    } else {
      this.settle(reply);
    }
  }

  private settle(outcome: TrainerReply | Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) {
      if (outcome instanceof Error) this.keepOutput(`${outcome.message}\n`);
      return;
    }
    if (outcome instanceof Error) waiting.reject(outcome);
    else waiting.resolve(outcome);
  }

  private noteExit(
    exitCode: number | null,
    signal: NodeJS.Signals | null,
  ): TrainerExit {
    if (this.partialLine) this.options.onLogLine?.(this.partialLine);
    this.partialLine = '';
    this.exit ??= {exitCode, signal, stderrTail: this.outputTail};
    const error = this.exitedError(this.exit);
    this.rejectReady(error);
    this.waiting?.reject(error);
    this.waiting = null;
    return this.exit;
  }

  private exitedError(exit: TrainerExit): TrainerExitedError {
    return new TrainerExitedError(exit.exitCode, exit.signal, exit.stderrTail);
  }

  private readStderr(text: string): void {
    this.keepOutput(text);
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) if (line) this.options.onLogLine?.(line);
  }

  private keepOutput(text: string): void {
    this.outputTail = (this.outputTail + text).slice(-TAIL_CHARACTERS);
  }
}

function argumentsOf(options: TrainerProcessOptions): string[] {
  return [
    '--job-dir', options.jobDir,
    '--max-steps', String(options.maxSteps),
    '--checkpoint-every', String(options.checkpointEverySteps),
    '--seed', String(options.seed),
    ...(options.testFault ? ['--test-fault', options.testFault] : []),
  ];
}
