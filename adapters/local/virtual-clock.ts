import type {Clock} from '../../shared/time/clock.js';

/** A timer waiting for the virtual clock to reach `dueMs`. */
interface PendingTimer {
  readonly dueMs: number;
  readonly order: number;
  readonly resolve: () => void;
}

/** Options of the virtual clock. */
export interface VirtualClockOptions {
  /**
   * The most virtual milliseconds that may pass per real millisecond;
   * 0 or absent means as fast as the components allow.
   */
  readonly maxSpeed?: number;
  /** Real milliseconds of quiet that count as idle (defence in depth). */
  readonly quietMilliseconds?: number;
}

/**
 * Deterministic virtual time for local mode.
 *
 * Time moves only when every component is idle: a component holds the
 * clock while it has work (`hold()` returns the release) and lets go only
 * while it waits on a timer or on a message whose producer holds the clock.
 * When nobody holds it, the clock jumps to the earliest pending timer and
 * wakes the timers due then, one instant at a time, in the order they were
 * set. The same inputs therefore give the same virtual timeline on a busy
 * or an idle machine; `maxSpeed` only bounds how fast it may go in real
 * time.
 */
export class VirtualClock implements Clock {
  private currentMs: number;
  private readonly timers: PendingTimer[] = [];
  private nextOrder = 0;
  private holdCount = 0;
  private readonly holders = new Map<number, string>();
  private nextHolderId = 0;
  private lastActivityRealMs = Date.now();
  private wake: (() => void) | undefined;
  private readonly maxSpeed: number;
  private readonly quietMilliseconds: number;

  constructor(startMs: number, options: VirtualClockOptions = {}) {
    this.currentMs = startMs;
    this.maxSpeed = options.maxSpeed ?? 0;
    this.quietMilliseconds = options.quietMilliseconds ?? 3;
  }

  nowMs(): number {
    return this.currentMs;
  }

  sleepUntil(instantMs: number): Promise<void> {
    if (instantMs <= this.currentMs) return Promise.resolve();
    return new Promise((resolve) => {
      this.timers.push({dueMs: instantMs, order: this.nextOrder++, resolve});
      this.timers.sort((a, b) => a.dueMs - b.dueMs || a.order - b.order);
      this.noteActivity();
    });
  }

  /** Marks a component busy; the clock will not move until released. */
  hold(reason: string): () => void {
    const holderId = this.nextHolderId++;
    this.holders.set(holderId, reason);
    this.holdCount++;
    this.noteActivity();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders.delete(holderId);
      this.holdCount--;
      this.noteActivity();
    };
  }

  /** Why the clock is held now, for diagnostics. */
  describeHolders(): string[] {
    return [...this.holders.values()];
  }

  /** How many timers wait, for diagnostics and tests. */
  pendingTimerCount(): number {
    return this.timers.length;
  }

  /**
   * Advances time until `isFinished()` is true. Resolves then; rejects if
   * the system is idle with no timer left and not finished (a deadlock).
   */
  async run(isFinished: () => boolean): Promise<void> {
    for (;;) {
      await this.settle();
      if (isFinished()) return;
      const next = this.timers[0];
      if (!next) {
        throw new Error(
          'virtual clock deadlock: every component is idle and no timer ' +
            'is pending, yet the run has not finished',
        );
      }
      await this.paceTo(next.dueMs);
      this.currentMs = Math.max(this.currentMs, next.dueMs);
      this.releaseDueTimers();
    }
  }

  // Wakes every timer due at the current instant, in the order set.
  private releaseDueTimers(): void {
    while (this.timers[0] && this.timers[0].dueMs <= this.currentMs) {
      const timer = this.timers.shift()!;
      timer.resolve();
    }
    this.noteActivity();
  }

  // Waits until nobody holds the clock and nothing happened for a moment.
  private async settle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.holdCount > 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      const quietForMs = Date.now() - this.lastActivityRealMs;
      if (quietForMs >= this.quietMilliseconds) return;
      await new Promise((resolve) =>
        setTimeout(resolve, this.quietMilliseconds - quietForMs),
      );
    }
  }

  // Keeps the virtual pace at or under maxSpeed.
  private async paceTo(dueMs: number): Promise<void> {
    if (this.maxSpeed <= 0) return;
    const realDelayMs = (dueMs - this.currentMs) / this.maxSpeed;
    if (realDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, realDelayMs));
    }
  }

  private noteActivity(): void {
    this.lastActivityRealMs = Date.now();
    const wake = this.wake;
    if (wake && this.holdCount === 0) {
      this.wake = undefined;
      wake();
    }
  }
}
