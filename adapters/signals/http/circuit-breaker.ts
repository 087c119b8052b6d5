/**
 * A circuit breaker for one provider. After `failureThreshold` failures in
 * a row it opens and refuses calls for `coolDownMs`; then it lets one trial
 * call through (half-open). A success closes it, a failure opens it again.
 */
import type {Clock} from '../../../shared/time/clock.js';

/** Where the breaker stands. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  readonly clock: Clock;
}

/** Five failures in a row open it for 30 s. */
export const DEFAULT_CIRCUIT_BREAKER = {
  failureThreshold: 5,
  coolDownMs: 30_000,
} as const;

/** The breaker of one provider; share one instance per provider. */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAtMs: number | undefined;
  private trialInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** The state now, with the cool-down applied. */
  state(): CircuitState {
    if (this.openedAtMs === undefined) return 'closed';
    const coolDownEndMs = this.openedAtMs + this.options.coolDownMs;
    return this.options.clock.nowMs() >= coolDownEndMs ? 'half-open' : 'open';
  }

  /** When an open breaker lets a trial call through. */
  reopensAtMs(): number {
    return (this.openedAtMs ?? 0) + this.options.coolDownMs;
  }

  /**
   * Whether a call may go now. In half-open only one trial call goes at a
   * time; the others are refused until it settles.
   */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Records a call that reached a healthy provider. */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAtMs = undefined;
    this.trialInFlight = false;
  }

  /** Records a call that failed in a way that suggests the provider is down. */
  recordFailure(): void {
    this.consecutiveFailures += 1;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial ||
      this.consecutiveFailures >= this.options.failureThreshold) {
      this.openedAtMs = this.options.clock.nowMs();
    }
  }
}
