/**
 * The error a command throws to end with one line: the flag, file or
 * credential at fault, what was wrong and what to do. `cli/main.ts`
 * prints it (and `{"error": ...}` with --json) and exits with its code:
 * 2 when the input is unusable, 1 when the run itself failed.
 */
import {SchedulerError} from '../shared/errors.js';

/** Exit code 2: fix what was given; 1: the run failed. */
export type FailureKind = 'input' | 'failed';

/** A command's failure, as the user is told it. */
export class CommandFailure extends SchedulerError {
  /** The flag, argument or credential at fault, e.g. `--run-dir`. */
  readonly field: string | null;
  readonly exitCode: 1 | 2;

  constructor(
    code: string,
    message: string,
    options: {field?: string | null; kind?: FailureKind; cause?: unknown} =
    {},
  ) {
    super(code, message, {cause: options.cause});
    this.field = options.field ?? fieldOfMessage(message);
    this.exitCode = (options.kind ?? 'input') === 'input' ? 2 : 1;
  }
}

/**
 * The flag or field a message starts with (`--lat: ...`,
 * `deadline: ...`, `--id or --all: ...`), or null.
 */
export function fieldOfMessage(message: string): string | null {
  const match = /^(--?[A-Za-z][\w-]*|[A-Za-z][\w.]*)(?=[:/ ,])/
    .exec(message);
  if (!match) return null;
  const field = match[1]!;
  // A plain word is a field only when the message goes on with a colon.
  if (!field.startsWith('-') && message[field.length] !== ':') return null;
  return field;
}
