/**
 * A clock stopped at one instant, for one-shot commands that ask "what
 * was (or is) the grid at this instant".
 */
import type {Clock} from '../../shared/time/clock.js';

/**
 * A clock that always reads `instantMs`; sleeping never waits.
 *
 * @param instantMs - milliseconds since the Unix epoch
 */
export function fixedClock(instantMs: number): Clock {
  return {
    nowMs: () => instantMs,
    sleepUntil: async () => {},
  };
}
