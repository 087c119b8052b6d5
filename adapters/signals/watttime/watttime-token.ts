/**
 * The WattTime bearer token: fetched by HTTP Basic login, expiring after
 * 30 minutes. It is renewed before it ages out, and at once when a call
 * is refused with 401; parallel refusals share one login.
 */
import type {Clock} from '../../../shared/time/clock.js';

/** How the token is obtained. */
export type LoginFunction = () => Promise<string>;

/** Options of {@link WattTimeTokens}. */
export interface WattTimeTokensOptions {
  readonly login: LoginFunction;
  readonly clock: Clock;
  /** Renew a token this old before using it; null never renews by age. */
  readonly renewAfterMs: number | null;
}

/** Renews a token at 29 minutes, ahead of its 30-minute expiry. */
export const DEFAULT_TOKEN_RENEW_AFTER_MS = 29 * 60_000;

/** The token of one set of credentials. */
export class WattTimeTokens {
  private token: string | undefined;
  private obtainedAtMs = 0;
  private inFlight: Promise<string> | undefined;

  constructor(private readonly options: WattTimeTokensOptions) {}

  /** A usable token: the held one, or a fresh login when none or aged. */
  async current(): Promise<string> {
    const renewAfterMs = this.options.renewAfterMs;
    const aged = renewAfterMs !== null && this.token !== undefined &&
      this.options.clock.nowMs() - this.obtainedAtMs >= renewAfterMs;
    if (this.token !== undefined && !aged) return this.token;
    return this.loginOnce();
  }

  /**
   * A token to replace `refusedToken`. When another caller already
   * replaced it, or is replacing it, that token is shared: however many
   * calls were refused together, one login happens.
   */
  async replace(refusedToken: string): Promise<string> {
    if (this.token !== undefined && this.token !== refusedToken) {
      return this.token;
    }
    return this.loginOnce();
  }

  // Logs in, or joins the login already running.
  private loginOnce(): Promise<string> {
    this.inFlight ??= (async () => {
      try {
        const token = await this.options.login();
        this.token = token;
        this.obtainedAtMs = this.options.clock.nowMs();
        return token;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
