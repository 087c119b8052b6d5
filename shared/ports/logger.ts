/** Cloud Logging severities used by the product. */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

/** A structured logger: a message plus a record of fields. */
export interface Logger {
  log(severity: Severity, message: string, fields?: object): void;
}

const SECRET_FIELD = /token|secret|password|credential|authorization/i;

/**
 * Writes one JSON object per line, the shape Cloud Logging reads from
 * stdout. Fields whose names look secret are redacted.
 */
export function createJsonLogger(
  component: string,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  return {
    log(severity, message, fields = {}) {
      const entry: Record<string, unknown> = {severity, message, component};
      for (const [name, value] of Object.entries(fields)) {
        entry[name] = SECRET_FIELD.test(name) ? '[redacted]' : value;
      }
      write(JSON.stringify(entry) + '\n');
    },
  };
}

/** A logger that keeps entries in memory, for quiet runs and tests. */
export function createMemoryLogger(): Logger & {
  entries: {severity: Severity; message: string; fields: object}[];
} {
  const entries: {severity: Severity; message: string; fields: object}[] = [];
  return {
    entries,
    log(severity, message, fields = {}) {
      entries.push({severity, message, fields});
    },
  };
}
