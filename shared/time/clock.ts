/**
 * The clock every component reads. In the cloud it is the wall clock; in
 * local mode it is virtual, advancing only when every component is idle.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Resolves once the clock reads at least `instantMs`. */
  sleepUntil(instantMs: number): Promise<void>;
}

/** The wall clock, for production adapters. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleepUntil: async (instantMs) => {
    const delayMilliseconds = Math.max(0, instantMs - Date.now());
    await new Promise((resolve) => setTimeout(resolve, delayMilliseconds));
  },
};
