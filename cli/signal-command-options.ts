/**
 * What the signal commands (`intensity`, `forecast`, `regions`) share:
 * reading `--at`, `--provider` and `--fallback`, building the provider
 * chain, and reporting errors with the field, the problem and the fix.
 */
import {parseInstantWithOffset} from '../shared/time/instant.js';
import type {Command} from 'commander';

import {fixedClock} from '../adapters/signals-wiring/fixed-clock.js';
import {
  defaultProviderName,
  parseProviderList,
  parseProviderName,
  PROVIDER_NAMES,
} from '../adapters/signals-wiring/provider-names.js';
import type {ProviderName} from '../adapters/signals-wiring/provider-names.js';
import {
  createProviderChain,
  REPLAY_YEARS,
} from '../adapters/signals-wiring/signal-provider-factory.js';
import {SchedulerError} from '../shared/errors.js';
import {CommandFailure} from './command-failure.js';
import type {
  FallbackChain,
  ProviderSkip,
} from '../shared/signals/fallback-chain.js';

/** An example instant inside the shipped traces. */
export const EXAMPLE_REPLAY_INSTANT = '2022-06-01T12:00:00Z';

const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An option given a value it cannot take. */
export class CommandOptionError extends SchedulerError {
  constructor(message: string) {
    super('invalid-option', message);
  }
}

/** Adds `--at`, `--provider`, `--fallback` and `--json`. */
export function addSignalOptions(command: Command): Command {
  return command
    .option('--at <instant>',
      'the instant asked about, RFC 3339 with offset (default: now); the ' +
        `replay holds ${REPLAY_YEARS.join(' and ')}, e.g. ` +
        EXAMPLE_REPLAY_INSTANT)
    .option('--provider <name>',
      `${PROVIDER_NAMES.join('|')}; default electricitymaps when ` +
        'ELECTRICITY_MAPS_TOKEN is set, else replay (offline)')
    .option('--fallback <names>',
      'providers to try next, comma-separated, or none', 'static')
    .option('--json', 'print one JSON object instead of text', false);
}

/** The options {@link addSignalOptions} adds, as commander gives them. */
export interface SignalOptionValues {
  readonly at?: string;
  readonly provider?: string;
  readonly fallback?: string;
  readonly json?: boolean;
}

/**
 * Reads `--at`, or now when absent.
 *
 * @throws CommandOptionError for text that is not an instant with offset
 */
export function parseAt(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const instantMs = parseInstantWithOffset(text);
  if (!INSTANT_WITH_OFFSET.test(text) || instantMs === null) {
    throw new CommandOptionError(
      `--at: "${text}" is not an RFC 3339 instant with a UTC offset; ` +
        `give e.g. ${EXAMPLE_REPLAY_INSTANT}`);
  }
  return instantMs;
}

/** The chain and the names it was built from. */
export interface ChosenProviders {
  readonly chain: FallbackChain;
  readonly primary: ProviderName;
  readonly order: readonly ProviderName[];
}

/**
 * Builds the chain: the named (or default) provider, then `--fallback`.
 *
 * @param atMs - the instant the providers' clock reads
 */
export async function chooseProviders(
  values: SignalOptionValues,
  atMs: number,
  options: {oracle?: boolean} = {},
): Promise<ChosenProviders> {
  const primary = values.provider === undefined
    ? defaultProviderName(process.env)
    : parseProviderName('--provider', values.provider);
  const fallbacks = parseProviderList('--fallback',
    values.fallback ?? 'static');
  const order = [primary, ...fallbacks.filter((name) => name !== primary)];
  const chain = await createProviderChain(order, {
    clock: fixedClock(atMs),
    environment: process.env,
    ...(options.oracle ? {oracle: true} : {}),
  });
  return {chain, primary, order};
}

/**
 * A hint when the replay was passed over for lack of a recorded hour.
 *
 * @returns the sentence, or undefined when the replay was not the reason
 */
export function replayCoverageHint(
  skipped: readonly ProviderSkip[],
  atMs: number,
): string | undefined {
  const replayGap = skipped.some((skip) =>
    skip.provider.startsWith('replay:') && skip.code === 'no-signal-data');
  if (!replayGap) return undefined;
  return `the replay has no recorded hour at ${new Date(atMs)
    .toISOString()}: it holds ${REPLAY_YEARS.join(' and ')}; pass --at ` +
    `with an instant in those years, e.g. --at ${EXAMPLE_REPLAY_INSTANT}`;
}

/** One line per provider passed over, for text output. */
export function describeSkips(skipped: readonly ProviderSkip[]): string[] {
  return skipped.map((skip) =>
    `  passed over ${skip.provider}${skip.key ? ` (${skip.key})` : ''}: ` +
      `${skip.code}: ${skip.reason}`);
}

/**
 * Runs a command body; a typed error becomes a {@link CommandFailure}
 * (exit code 2 for a bad option, 1 otherwise) that `cli/main.ts` tells.
 */
export async function runReportingErrors(
  setExitCode: (code: number) => void,
  body: () => Promise<number>,
): Promise<void> {
  try {
    setExitCode(await body());
  } catch (error) {
    if (!(error instanceof SchedulerError) ||
        error instanceof CommandFailure) {
      throw error;
    }
    throw new CommandFailure(error.code, error.message, {cause: error,
      kind: isOptionError(error) ? 'input' : 'failed'});
  }
}

const OPTION_ERROR_CODES = new Set([
  'invalid-option', 'unknown-provider', 'unknown-region',
  'invalid-coordinates', 'invalid-forecast-horizon', 'provider-unavailable',
]);

function isOptionError(error: SchedulerError): boolean {
  return OPTION_ERROR_CODES.has(error.code);
}
