/**
 * How far a ratio to the oracle can be trusted: a percentile bootstrap
 * over submission instants. The jobs of one instant share its weather,
 * so they are resampled together (a cluster bootstrap): resampling jobs
 * one by one would pretend that a windy week's 24 jobs are 24 separate
 * pieces of evidence. The generator is seeded, so a run is repeatable.
 */

/** Grams saved by us and by the oracle over one submission instant. */
export interface InstantSavings {
  readonly savedGrams: number;
  readonly oracleSavedGrams: number;
}

/** Bounds of a central interval of a ratio. */
export interface RatioInterval {
  readonly low: number;
  readonly high: number;
  /** Fraction of resamples inside, e.g. 0.95. */
  readonly level: number;
  readonly resamples: number;
}

/** Resamples the product reports with (about 0.005 of Monte Carlo noise
 * on the bounds of a 0.95 interval). */
export const DEFAULT_RESAMPLES = 2000;

const DEFAULT_SEED = 20_211_231;

/**
 * The central `level` interval of (sum of saved) / (sum of oracle saved)
 * when the instants are drawn again with replacement. Resamples where
 * the oracle saves nothing have no ratio and are left out of the
 * bounds; null when fewer than two instants, or no resample, have one.
 */
export function bootstrapRatioInterval(
  instants: readonly InstantSavings[],
  level = 0.95,
  resamples = DEFAULT_RESAMPLES,
  seed = DEFAULT_SEED,
): RatioInterval | null {
  if (instants.length < 2) return null;
  const random = seededRandom(seed);
  const count = instants.length;
  const ratios: number[] = [];
  for (let draw = 0; draw < resamples; draw += 1) {
    let saved = 0;
    let oracle = 0;
    for (let pick = 0; pick < count; pick += 1) {
      const instant = instants[Math.floor(random() * count)]!;
      saved += instant.savedGrams;
      oracle += instant.oracleSavedGrams;
    }
    if (oracle > 0) ratios.push(saved / oracle);
  }
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  const at = (fraction: number) => ratios[Math.min(ratios.length - 1,
    Math.max(0, Math.floor(fraction * ratios.length)))]!;
  return {low: at(tail), high: at(1 - tail), level, resamples};
}

// mulberry32: a small 32-bit generator, good enough to draw indexes.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
