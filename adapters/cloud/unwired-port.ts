import {SchedulerError} from '../../shared/errors.js';

/**
 * A port a function does not use, so its client is never loaded there.
 * Any use is a programming fault and says which port and function.
 */
export function unwiredPort<T extends object>(
  port: string,
  functionName: string,
): T {
  return failingPort<T>(() => new SchedulerError(
    'port-not-wired',
    `${functionName} used the ${port} port, which its cloud entry point ` +
      'does not load; add it to the function\'s needs in ' +
      'adapters/cloud/cloud-dependencies.ts',
  ));
}

/**
 * A port whose adapter could not be built (missing module or setting):
 * every use throws that error, which is retryable, so messages that need
 * it are redelivered and then dead-lettered, never lost, while messages
 * that do not need it are still handled.
 */
export function unavailablePort<T extends object>(error: unknown): T {
  return failingPort<T>(() => error);
}

function failingPort<T extends object>(failure: () => unknown): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then') return undefined;
      throw failure();
    },
  });
}
