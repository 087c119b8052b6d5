import {SchedulerError} from '../../shared/errors.js';

/** A cloud adapter module: where it is, and how to load it. */
export interface AdapterModule {
  /** The module's path, for messages. */
  readonly specifier: string;
  readonly exportName: string;
  /**
   * Loads the module. A literal `import()` in the caller's file, so a
   * bundler sees it and the module is still loaded only when asked for.
   */
  readonly load: () => Promise<Record<string, unknown>>;
}

/**
 * Loads a cloud adapter module and one factory from it, at the moment a
 * function first needs it. A missing module or factory is a deployment
 * fault, reported with the path and the export expected; it is retryable
 * so messages wait (and then dead-letter) rather than vanish.
 */
export async function loadAdapterFactory<T>(
  adapter: AdapterModule,
): Promise<T> {
  const {specifier, exportName} = adapter;
  let loaded: Record<string, unknown>;
  try {
    loaded = await adapter.load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' &&
        String((error as Error).message).includes(moduleBase(specifier))) {
      throw new SchedulerError(
        'adapter-missing',
        `cloud adapter ${specifier} is not in this build; deploy a build ` +
          `that includes it (it must export ${exportName})`,
        {retryable: true, cause: error},
      );
    }
    throw error;
  }
  const factory = loaded[exportName];
  if (typeof factory !== 'function') {
    throw new SchedulerError(
      'adapter-missing',
      `cloud adapter ${specifier} does not export a function ${exportName}`,
      {retryable: true},
    );
  }
  return factory as T;
}

function moduleBase(specifier: string): string {
  const file = specifier.split('/').pop() ?? specifier;
  return file.replace(/\.js$/, '');
}
