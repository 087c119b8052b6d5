/**
 * A clock for provider tests: it reads a settable instant, and a sleep
 * moves it forward at once and records how long was asked for, so retry
 * waits cost no real time.
 */
import type {Clock} from '../../../shared/time/clock.js';

/** A clock whose sleeps return at once. */
export interface SteppingClock extends Clock {
  /** The waits asked for, in milliseconds, in order. */
  readonly sleepsMs: number[];
  /** Sets now. */
  set(instantMs: number): void;
}

/** Creates a stepping clock reading `startMs`. */
export function createSteppingClock(startMs: number): SteppingClock {
  let currentMs = startMs;
  const sleepsMs: number[] = [];
  return {
    sleepsMs,
    nowMs: () => currentMs,
    set: (instantMs) => {
      currentMs = instantMs;
    },
    sleepUntil: async (instantMs) => {
      sleepsMs.push(Math.max(0, instantMs - currentMs));
      currentMs = Math.max(currentMs, instantMs);
    },
  };
}
