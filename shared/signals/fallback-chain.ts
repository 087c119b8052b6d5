/**
 * Providers tried in a configured order (e.g. Electricity Maps, then
 * WattTime, then static). When one cannot answer (no signal for the zone,
 * no data for the time, a typed HTTP error, an open circuit, a missing
 * value), the next is asked, and the answer records which provider served
 * it and why each earlier one did not: degradation is visible, never
 * silent. Every answer carries its basis; with `requiredBasis` set, a
 * value on another basis is passed over like a failure. A link that knows
 * what its credentials may read is passed over, without a call, for a
 * zone outside that access (`outside-access`).
 */
import {SchedulerError} from '../errors.js';
import type {Logger} from '../ports/logger.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
  IntensityReading,
  PowerBreakdown,
} from './carbon-signal-provider.js';
import {systemClock} from '../time/clock.js';
import type {Clock} from '../time/clock.js';
import type {IntensityBasis, IntensitySeries} from './intensity-series.js';
import {decideAccess} from './provider-access.js';
import type {
  AccessSource,
  ProviderAccess,
  SignalKind,
} from './provider-access.js';

/** What a caller asks about: a grid zone, and the region where known. */
export interface SignalTarget {
  readonly zone: string | null;
  readonly regionId?: string | null;
}

/**
 * One provider in the chain. `keyBy: 'zone'` (default) asks it for the
 * target's zone; `'region'` for the region id where known, else the zone
 * (the static provider answers per region).
 */
export interface ChainLink {
  readonly provider: CarbonSignalProvider;
  readonly keyBy?: 'zone' | 'region';
  /** What the provider's credentials may read; absent: try every key. */
  readonly access?: AccessSource;
}

/** Why one provider did not serve. */
export interface ProviderSkip {
  readonly provider: string;
  /** The key it was asked for; null when the target had none for it. */
  readonly key: string | null;
  /**
   * The error code, or `missing-value`, `basis-mismatch`, `no-key`,
   * `outside-access` (the credentials may not read it; no call made).
   */
  readonly code: string;
  readonly reason: string;
  /** Whether the failure may pass on retry (a 429, a 5xx, a timeout). */
  readonly retryable: boolean;
}

/** An answer and where it came from. */
export interface ServedSignal<T> {
  readonly value: T;
  /** The name of the provider that served. */
  readonly provider: string;
  /** The value's basis; null for a power breakdown, which has none. */
  readonly basis: IntensityBasis | null;
  /** The providers tried before, in order, and why each did not serve. */
  readonly skipped: readonly ProviderSkip[];
  /** True when a provider before the server was passed over. */
  readonly degraded: boolean;
}

/** No provider in the chain could answer. */
export class NoProviderServedError extends SchedulerError {
  readonly skipped: readonly ProviderSkip[];

  constructor(what: string, skipped: readonly ProviderSkip[]) {
    super('no-provider-served',
      `no provider could give ${what}: ` + skipped.map((skip) =>
        `${skip.provider} (${skip.code}: ${skip.reason})`).join('; '),
      {retryable: skipped.some((skip) => skip.retryable)});
    this.skipped = skipped;
  }
}

/** Options of {@link FallbackChain}. */
export interface FallbackChainOptions {
  readonly logger?: Logger;
  /** When set, values on another basis are passed over. */
  readonly requiredBasis?: IntensityBasis;
  /**
   * Whether an error lets the next provider try. Default: any typed
   * {@link SchedulerError}; anything else (a bug) is thrown at once.
   */
  readonly fallsThrough?: (error: unknown) => boolean;
  /** Stamps an access that could not be read; the wall by default. */
  readonly clock?: Clock;
}

// Asks one provider; a string answer is a missing value, in words.
type Ask<T> = (provider: CarbonSignalProvider, key: string) =>
  Promise<Answer<T> | string>;

// One attempt's outcome: a value, or why it is passed over.
type Attempt<T> = Answer<T> | ProviderSkip;
type Answer<T> = {value: T; basis: IntensityBasis | null};

/** A {@link CarbonSignalProvider} that tries its links in order. */
export class FallbackChain implements CarbonSignalProvider {
  readonly name: string;
  readonly links: readonly ChainLink[];
  private readonly options: FallbackChainOptions;

  constructor(links: readonly ChainLink[], options: FallbackChainOptions = {}) {
    if (links.length === 0) {
      throw new SchedulerError('empty-fallback-chain',
        'a fallback chain needs at least one provider');
    }
    this.links = links;
    this.options = options;
    this.name = `chain:${links.map((link) => link.provider.name).join('>')}`;
  }

  /** The latest reading, from the first provider with a value. */
  latestFor(target: SignalTarget): Promise<ServedSignal<IntensityReading>> {
    return this.serve(target, 'the latest intensity', 'latest',
      async (provider, key) => {
      const reading = await provider.latest(key);
      return reading.gramsPerKilowattHour === null
        ? 'the reading has no value'
        : {value: reading, basis: reading.basis};
    });
  }

  /** Observed history, from the first provider with any value in range. */
  historyFor(
    target: SignalTarget,
    fromMs: number,
    toMs: number,
  ): Promise<ServedSignal<IntensitySeries>> {
    return this.serve(target, 'history', 'history', async (provider, key) => {
      const series = await provider.history(key, fromMs, toMs);
      return seriesOrGap(series);
    });
  }

  /** A forecast, from the first provider with any forecast value. */
  forecastFor(
    target: SignalTarget,
    options?: ForecastOptions,
  ): Promise<ServedSignal<IntensitySeries>> {
    return this.serve(target, 'a forecast', 'forecast',
      async (provider, key) => {
      const series = await provider.forecast(key, options);
      return seriesOrGap(series);
    });
  }

  /**
   * The power mix, from the first provider that offers one (a mix has
   * no basis, so `requiredBasis` does not apply).
   */
  async powerBreakdownFor(
    target: SignalTarget,
  ): Promise<ServedSignal<PowerBreakdown>> {
    const withMix = this.links.filter((link) => link.provider.powerBreakdown);
    if (withMix.length === 0) {
      throw new NoProviderServedError('a power breakdown',
        this.links.map((link) => ({provider: link.provider.name,
          key: null, code: 'not-offered', retryable: false,
          reason: 'the provider has no power breakdown'})));
    }
    const {requiredBasis: _ignored, ...options} = this.options;
    const chain = new FallbackChain(withMix, options);
    return chain.serve(target, 'a power breakdown', 'power-breakdown',
      async (provider, key) =>
      ({value: await provider.powerBreakdown!(key), basis: null}));
  }

  /**
   * What each link's credentials may read, asked through its access
   * source (a daily cache); links without one are left out.
   */
  async accessByProvider(): Promise<ProviderAccess[]> {
    const withAccess = this.links.filter((link) => link.access);
    return Promise.all(withAccess.map((link) =>
      this.accessOf(link)));
  }

  async latest(zone: string): Promise<IntensityReading> {
    return (await this.latestFor({zone})).value;
  }

  async history(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<IntensitySeries> {
    return (await this.historyFor({zone}, fromMs, toMs)).value;
  }

  async forecast(
    zone: string,
    options?: ForecastOptions,
  ): Promise<IntensitySeries> {
    return (await this.forecastFor({zone}, options)).value;
  }

  // Asks each link in turn; a string from `ask` is a missing value.
  private async serve<T>(
    target: SignalTarget,
    what: string,
    kind: SignalKind,
    ask: Ask<T>,
  ): Promise<ServedSignal<T>> {
    const skipped: ProviderSkip[] = [];
    for (const link of this.links) {
      const attempt = await this.attempt(link, target, kind, ask);
      if ('code' in attempt) {
        skipped.push(attempt);
        this.options.logger?.log('WARNING',
          `${attempt.provider} did not serve ${what}; trying the next`,
          {...attempt, zone: target.zone, regionId: target.regionId});
        continue;
      }
      return {value: attempt.value, provider: link.provider.name,
        basis: attempt.basis, skipped, degraded: skipped.length > 0};
    }
    const subject = target.regionId ?? target.zone ?? 'no zone';
    throw new NoProviderServedError(`${what} for ${subject}`, skipped);
  }

  // An access source that fails says nothing: every key is tried.
  private async accessOf(link: ChainLink): Promise<ProviderAccess> {
    try {
      return await link.access!.access();
    } catch (error) {
      const reason = 'asking for access failed: ' +
        (error instanceof Error ? error.message : String(error));
      this.options.logger?.log('WARNING', reason,
        {provider: link.provider.name});
      return {status: 'unknown', provider: link.provider.name,
        checkedAtMs: (this.options.clock ?? systemClock).nowMs(), reason};
    }
  }

  private async attempt<T>(
    link: ChainLink,
    target: SignalTarget,
    kind: SignalKind,
    ask: Ask<T>,
  ): Promise<Attempt<T>> {
    const provider = link.provider.name;
    const key = link.keyBy === 'region'
      ? target.regionId ?? target.zone ?? null
      : target.zone;
    if (key === null) {
      return {provider, key, code: 'no-key', retryable: false,
        reason: 'the target has no grid zone for this provider'};
    }
    if (link.access) {
      const decision = decideAccess(await this.accessOf(link), key, kind);
      if (decision.verdict === 'outside') {
        return {provider, key, code: 'outside-access', retryable: false,
          reason: decision.reason};
      }
    }

    let answer: Answer<T> | string;
    try {
      answer = await ask(link.provider, key);
    } catch (error) {
      if (!(this.options.fallsThrough ?? isTypedError)(error)) throw error;
      return {provider, key, code: errorCode(error),
        reason: error instanceof Error ? error.message : String(error),
        retryable: error instanceof SchedulerError && error.retryable};
    }
    if (typeof answer === 'string') {
      return {provider, key, code: 'missing-value', reason: answer,
        retryable: false};
    }
    const required = this.options.requiredBasis;
    if (required && answer.basis !== required) {
      return {provider, key, code: 'basis-mismatch', retryable: false,
        reason: `its value is ${answer.basis}; ${required} is required`};
    }
    return answer;
  }
}

function seriesOrGap(series: IntensitySeries): Answer<IntensitySeries> |
  string {
  const hasValue = series.points.some(
    (point) => point.gramsPerKilowattHour !== null);
  return hasValue
    ? {value: series, basis: series.basis}
    : 'the series has no value in the range';
}

function isTypedError(error: unknown): boolean {
  return error instanceof SchedulerError;
}

function errorCode(error: unknown): string {
  if (error instanceof SchedulerError) return error.code;
  if (error instanceof Error) return error.name;
  return 'unknown-error';
}
