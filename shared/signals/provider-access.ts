/**
 * What a provider's credentials may read: which zones, and which signals
 * in each. A free Electricity Maps token covers one zone; a WattTime
 * account lists its regions. A provider that cannot say is `unknown`,
 * and then every zone is tried as before.
 */
import type {CarbonSignalProvider} from './carbon-signal-provider.js';

/** The signals a provider serves, as the fallback chain asks them. */
export const SIGNAL_KINDS = [
  'latest',
  'history',
  'forecast',
  'power-breakdown',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** The access a provider reported, or that it could not report one. */
export type ProviderAccess = KnownProviderAccess | UnknownProviderAccess;

/** The zones the credentials may read, each with its signals. */
export interface KnownProviderAccess {
  readonly status: 'known';
  readonly provider: string;
  /** When the provider was asked, ms since the Unix epoch. */
  readonly checkedAtMs: number;
  /** Zone key to the signals it may be read for. */
  readonly signalsByZone: Readonly<Record<string, readonly SignalKind[]>>;
  /**
   * Keys the zone list does not name but that may still be read (e.g.
   * places asked for by coordinates): they are tried, not skipped.
   */
  readonly uncheckedKeys?: readonly string[];
}

/** The provider could not say what it may read. */
export interface UnknownProviderAccess {
  readonly status: 'unknown';
  readonly provider: string;
  readonly checkedAtMs: number;
  readonly reason: string;
}

/** A provider that can report its access. */
export interface AccessReportingProvider extends CarbonSignalProvider {
  /** Asks the provider now (no cache); never throws for a refusal. */
  readAccess(): Promise<ProviderAccess>;
  /**
   * A short fingerprint of the credentials, so that a cached access list
   * is never reused for another token.
   */
  credentialFingerprint?(): Promise<string>;
}

/** Where a chain link gets its access from (usually a daily cache). */
export interface AccessSource {
  access(): Promise<ProviderAccess>;
}

/** Whether `provider` can report its access. */
export function reportsAccess(
  provider: CarbonSignalProvider,
): provider is AccessReportingProvider {
  return typeof (provider as Partial<AccessReportingProvider>)
    .readAccess === 'function';
}

/** What an access list says about one key and signal. */
export type AccessDecision =
  | {readonly verdict: 'readable' | 'unknown'}
  | {readonly verdict: 'outside'; readonly reason: string};

/**
 * Whether `key` may be read for `kind`.
 *
 * @returns `outside` with the reason in words when the list excludes it
 */
export function decideAccess(
  access: ProviderAccess,
  key: string,
  kind: SignalKind,
): AccessDecision {
  if (access.status === 'unknown') return {verdict: 'unknown'};
  if (access.uncheckedKeys?.includes(key)) return {verdict: 'unknown'};
  const zones = Object.keys(access.signalsByZone).sort();
  const signals = access.signalsByZone[key];
  const listed = zones.length <= 5
    ? zones.join(', ') || 'none'
    : `${zones.slice(0, 5).join(', ')} and ${zones.length - 5} more`;
  if (signals === undefined) {
    return {verdict: 'outside', reason: `the credentials may read ` +
      `${zones.length} zone(s) (${listed}), not ${key}`};
  }
  if (!signals.includes(kind)) {
    return {verdict: 'outside', reason: `the credentials may read ` +
      `${signals.join(', ') || 'nothing'} in ${key}, not ${kind}`};
  }
  return {verdict: 'readable'};
}
