/**
 * Builds the carbon-signal providers the commands use: the replay of the
 * shipped 2021-2022 traces and the static Google figures in-process, and
 * the HTTP providers (Electricity Maps, WattTime, UK Carbon Intensity)
 * through a dynamic import, so a build without them still runs offline.
 */
import {createSecretManagerReader} from '../signals/secret-reader.js';
import {SchedulerError} from '../../shared/errors.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
} from '../../shared/signals/carbon-signal-provider.js';
import {
  ElectricityMapsTraces,
} from '../../shared/signals/electricity-maps-traces.js';
import {FallbackChain} from '../../shared/signals/fallback-chain.js';
import type {ChainLink} from '../../shared/signals/fallback-chain.js';
import {ReplayProvider} from '../../shared/signals/replay-provider.js';
import {StaticProvider} from '../../shared/signals/static-provider.js';
import {systemClock} from '../../shared/time/clock.js';
import type {Clock} from '../../shared/time/clock.js';
import {HTTP_PROVIDER_MODULES} from './http-provider-modules.js';
import type {HttpProviderModule} from './http-provider-modules.js';
import type {ProviderName} from './provider-names.js';

/** The years of shipped traces the commands replay. */
export const REPLAY_YEARS: readonly number[] = [2021, 2022];

/** A provider cannot be built here (its module or credentials missing). */
export class ProviderUnavailableError extends SchedulerError {
  constructor(provider: ProviderName, problem: string) {
    super('provider-unavailable',
      `--provider ${provider}: ${problem}; use --provider replay (offline, ` +
        '2021-2022) or --provider static (Google yearly figures)');
  }
}

/** What providers are built with. */
export interface ProviderContext {
  /** The replay's and static provider's now; live ones use the wall. */
  readonly clock: Clock;
  readonly environment: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Replay forecasts that see the recorded future (evaluation only). */
  readonly oracle?: boolean;
  /** Where the HTTP factories are; the shipped table by default. */
  readonly httpModules?: Readonly<
    Partial<Record<ProviderName, HttpProviderModule>>
  >;
}

/**
 * One provider by name.
 *
 * @throws ProviderUnavailableError when an HTTP provider's module is
 *   missing or its factory is not a function
 */
export async function createSignalProvider(
  name: ProviderName,
  context: ProviderContext,
): Promise<CarbonSignalProvider> {
  if (name === 'replay') {
    return new ReplayProvider({
      clock: context.clock,
      traces: replayTraces(),
      forecaster: context.oracle ? 'oracle' : 'honest',
    });
  }
  if (name === 'static') return new StaticProvider({clock: context.clock});

  const modules = context.httpModules ?? HTTP_PROVIDER_MODULES;
  const location = modules[name];
  if (!location) {
    throw new ProviderUnavailableError(name, 'no module is configured');
  }
  const factory = await importFactory(name, location);
  return await factory(httpOptions(context));
}

/**
 * The providers in order, each falling to the next; the static provider
 * is asked per region.
 *
 * @param names - e.g. `['electricitymaps', 'watttime', 'static']`
 */
export async function createProviderChain(
  names: readonly ProviderName[],
  context: ProviderContext,
): Promise<FallbackChain> {
  const unique = [...new Set(names)];
  const links: ChainLink[] = [];
  for (const name of unique) {
    links.push({
      provider: await createSignalProvider(name, context),
      keyBy: name === 'static' ? 'region' : 'zone',
    });
  }
  return new FallbackChain(links,
    context.logger ? {logger: context.logger} : {});
}

// The parsed traces are read-only, so one copy serves every command run.
let sharedTraces: ElectricityMapsTraces | undefined;
function replayTraces(): ElectricityMapsTraces {
  sharedTraces ??= new ElectricityMapsTraces({years: REPLAY_YEARS});
  return sharedTraces;
}

type ProviderFactory = (options: object) =>
  CarbonSignalProvider | Promise<CarbonSignalProvider>;

async function importFactory(
  name: ProviderName,
  location: HttpProviderModule,
): Promise<ProviderFactory> {
  let loaded: Record<string, unknown>;
  try {
    loaded = await import(location.modulePath) as Record<string, unknown>;
  } catch (error) {
    if (isMissingModule(error, location.modulePath)) {
      throw new ProviderUnavailableError(name,
        `its module adapters/signals-wiring/${location.modulePath} is not ` +
          'in this build');
    }
    throw error;
  }
  const factory = loaded[location.exportName];
  if (typeof factory !== 'function') {
    throw new ProviderUnavailableError(name,
      `${location.modulePath} does not export a function ` +
        location.exportName);
  }
  return factory as ProviderFactory;
}

// True only when the module itself is absent, not one it imports.
function isMissingModule(error: unknown, modulePath: string): boolean {
  const code = (error as {code?: unknown} | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : '';
  const baseName = modulePath.split('/').pop()!.replace(/\.js$/, '');
  return message.includes(baseName);
}

// Options handed to an HTTP factory: it reads its own credentials from
// the environment (or Secret Manager) and runs on the wall clock, since a
// live API answers for the real now.
// TODO(signals): a past --at reaches a live provider only as "now", and
// its calls are not wrapped in withSignalCache; ask its history for a past
// instant and add the cache once the HTTP providers' options settle.
// Credentials come from the environment, or from Secret Manager when a
// deployment names the secrets (ELECTRICITY_MAPS_SECRET,
// WATTTIME_USERNAME_SECRET, WATTTIME_PASSWORD_SECRET: full resource names
// or ids in GOOGLE_CLOUD_PROJECT).
function httpOptions(context: ProviderContext): object {
  const environment = context.environment;
  const secrets = {
    tokenSecretName: environment.ELECTRICITY_MAPS_SECRET,
    usernameSecretName: environment.WATTTIME_USERNAME_SECRET,
    passwordSecretName: environment.WATTTIME_PASSWORD_SECRET,
  };
  const named = Object.fromEntries(Object.entries(secrets)
    .filter(([, value]) => value !== undefined && value.trim() !== ''));
  return {
    clock: systemClock,
    environment,
    ...(context.logger ? {logger: context.logger} : {}),
    ...(Object.keys(named).length > 0 ? {
      ...named,
      secretReader: createSecretManagerReader({
        projectId: environment.GOOGLE_CLOUD_PROJECT ?? '',
      }),
    } : {}),
  };
}
