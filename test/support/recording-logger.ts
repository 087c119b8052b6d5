import type {Logger, Severity} from '../../shared/ports/logger.js';

/** One log entry, with the (virtual) instant it was logged at. */
export interface LoggedEntry {
  readonly severity: Severity;
  readonly message: string;
  readonly fields: Record<string, unknown>;
  readonly atMs: number;
}

/** A logger that keeps every entry with `nowMs()` at the time. */
export function recordingLogger(nowMs: () => number): Logger & {
  entries: LoggedEntry[];
} {
  const entries: LoggedEntry[] = [];
  return {
    entries,
    log(severity, message, fields = {}) {
      entries.push({severity, message,
        fields: fields as Record<string, unknown>, atMs: nowMs()});
    },
  };
}
