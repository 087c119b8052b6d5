/**
 * The hosts and ports of the local services, read from firebase.json (the
 * one place they are named). Port 0 means a free port chosen at start;
 * the functions take consecutive ports from theirs, one per function.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

import {SchedulerError} from '../../shared/errors.js';

/** Where one local service listens. */
export interface LocalAddress {
  readonly host: string;
  readonly port: number;
}

/** Every local service's address. */
export interface LocalPorts {
  readonly pubsub: LocalAddress;
  readonly functions: LocalAddress;
  readonly workflowCallbacks: LocalAddress;
  readonly dashboard: LocalAddress;
}

const SERVICES = ['pubsub', 'functions', 'workflowCallbacks', 'dashboard'] as
  const;

let cached: LocalPorts | undefined;

/**
 * @throws SchedulerError LOCAL_PORTS_INVALID naming the bad entry
 */
export function readLocalPorts(
  file: string = fileURLToPath(new URL('../../firebase.json',
    import.meta.url)),
): LocalPorts {
  if (cached && file.endsWith('firebase.json')) return cached;
  const config = JSON.parse(readFileSync(file, 'utf8')) as {
    emulators?: Record<string, {host?: unknown; port?: unknown}>;
  };
  const read = (service: (typeof SERVICES)[number]): LocalAddress => {
    const entry = config.emulators?.[service] ?? {};
    const host = entry.host ?? '127.0.0.1';
    const port = entry.port ?? 0;
    if (typeof host !== 'string' || !Number.isInteger(port) ||
      (port as number) < 0 || (port as number) > 65535) {
      throw new SchedulerError('LOCAL_PORTS_INVALID',
        `${file}: emulators.${service} needs a host string and a port ` +
          'from 0 (any free port) to 65535');
    }
    return {host, port: port as number};
  };
  cached = {
    pubsub: read('pubsub'),
    functions: read('functions'),
    workflowCallbacks: read('workflowCallbacks'),
    dashboard: read('dashboard'),
  };
  return cached;
}
