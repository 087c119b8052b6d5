/**
 * Builds the carbon-signal providers the commands use: the replay of the
 * shipped 2021-2022 traces and the static Google figures in-process, and
 * the HTTP providers (Electricity Maps, WattTime, UK Carbon Intensity)
 * through a dynamic import, so a build without them still runs offline.
 * Each HTTP provider is wrapped in the signal cache (a directory locally),
 * asked about a past instant through its history, and linked with its
 * daily access list, so a zone its credentials may not read falls to the
 * next provider without a call.
 */
import path from 'node:path';

import {DirectoryBlobStore} from '../local/directory-blob-store.js';
import {createAccessCache} from '../signals/cache/access-cache.js';
import {withSignalCache} from '../signals/cache/cached-provider.js';
import {createSecretManagerReader} from '../signals/secret-reader.js';
import {SchedulerError} from '../../shared/errors.js';
import type {BlobStore} from '../../shared/ports/blob-store.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
} from '../../shared/signals/carbon-signal-provider.js';
import {
  ElectricityMapsTraces,
} from '../../shared/signals/electricity-maps-traces.js';
import {FallbackChain} from '../../shared/signals/fallback-chain.js';
import type {ChainLink} from '../../shared/signals/fallback-chain.js';
import {reportsAccess} from '../../shared/signals/provider-access.js';
import {ReplayProvider} from '../../shared/signals/replay-provider.js';
import {StaticProvider} from '../../shared/signals/static-provider.js';
import {systemClock} from '../../shared/time/clock.js';
import type {Clock} from '../../shared/time/clock.js';
import {HTTP_PROVIDER_MODULES} from './http-provider-modules.js';
import type {HttpProviderModule} from './http-provider-modules.js';
import {
  asOfPastInstant,
  PAST_INSTANT_TOLERANCE_MS,
} from './past-instant-provider.js';
import type {ProviderName} from './provider-names.js';

/** The years of shipped traces the commands replay. */
export const REPLAY_YEARS: readonly number[] = [2021, 2022];

/** Names the directory of the local signal cache; `none` turns it off. */
export const SIGNAL_CACHE_DIRECTORY_VARIABLE = 'SIGNAL_CACHE_DIRECTORY';
/** The local signal cache, relative to the working directory. */
export const DEFAULT_SIGNAL_CACHE_DIRECTORY = '.local/signal-cache';

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
  /**
   * The instant asked about: the replay's and static provider's now. A
   * live provider runs on `liveClock`; when this reads earlier than it,
   * the live provider answers from its history.
   */
  readonly clock: Clock;
  /** The real now of live APIs; the wall clock by default. */
  readonly liveClock?: Clock;
  /**
   * Where live answers and access lists are kept: by default a directory
   * (`SIGNAL_CACHE_DIRECTORY`, else `.local/signal-cache`); null keeps
   * nothing.
   */
  readonly signalCache?: BlobStore | null;
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
  return (await createLink(name, context)).provider;
}

/**
 * One chain link by name: an HTTP provider cached, viewed at the
 * context's instant and carrying its daily access list.
 */
export async function createLink(
  name: ProviderName,
  context: ProviderContext,
): Promise<ChainLink> {
  if (name === 'replay') {
    return {keyBy: 'zone', provider: new ReplayProvider({
      clock: context.clock,
      traces: replayTraces(),
      forecaster: context.oracle ? 'oracle' : 'honest',
    })};
  }
  if (name === 'static') {
    return {keyBy: 'region',
      provider: new StaticProvider({clock: context.clock})};
  }

  const modules = context.httpModules ?? HTTP_PROVIDER_MODULES;
  const location = modules[name];
  if (!location) {
    throw new ProviderUnavailableError(name, 'no module is configured');
  }
  const factory = await importFactory(name, location);
  const live = await factory(httpOptions(context));

  // A past instant reads history; answers are cached on the instant's
  // clock; access is about the credentials, so it runs on the real now.
  const liveClock = context.liveClock ?? systemClock;
  const atMs = context.clock.nowMs();
  const viewed = atMs < liveClock.nowMs() - PAST_INSTANT_TOLERANCE_MS
    ? asOfPastInstant(live, atMs)
    : live;
  const store = signalCacheOf(context);
  const provider = store
    ? withSignalCache(viewed, store, {clock: context.clock,
      ...(context.logger ? {logger: context.logger} : {})})
    : viewed;
  if (!reportsAccess(live)) return {keyBy: 'zone', provider};
  const access = createAccessCache(live, {clock: liveClock,
    ...(store ? {blobStore: store} : {}),
    ...(context.logger ? {logger: context.logger} : {})});
  return {keyBy: 'zone', provider, access};
}

/**
 * The blob store of the signal cache: the one given, else the directory
 * `SIGNAL_CACHE_DIRECTORY` names (`none`: no cache), else
 * `.local/signal-cache`.
 */
export function signalCacheOf(context: ProviderContext): BlobStore | null {
  if (context.signalCache !== undefined) return context.signalCache;
  const named = context.environment[SIGNAL_CACHE_DIRECTORY_VARIABLE]?.trim();
  if (named?.toLowerCase() === 'none') return null;
  return new DirectoryBlobStore(path.resolve(named ||
    DEFAULT_SIGNAL_CACHE_DIRECTORY));
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
  for (const name of unique) links.push(await createLink(name, context));
  return new FallbackChain(links, {
    clock: context.liveClock ?? systemClock,
    ...(context.logger ? {logger: context.logger} : {}),
  });
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
// the environment (or Secret Manager) and runs on the live clock, since a
// live API answers for the real now.
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
    clock: context.liveClock ?? systemClock,
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
