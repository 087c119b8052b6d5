/**
 * A small seeded pseudo-random source (mulberry32), so that the dataset,
 * the data order and the initial weights depend on the seed alone.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A standard normal draw (Box-Muller). */
  nextNormal(): number;
}

/**
 * Creates the random stream named `streamName` of `seed`: each stream is
 * independent, so adding draws to one leaves the others unchanged.
 *
 * @param seed - the job's seed, a safe integer
 * @param streamName - which stream, e.g. `held-out` or `order-epoch-3`
 * @returns a deterministic source
 */
export function createSeededRandom(
  seed: number,
  streamName: string,
): SeededRandom {
  let state = mixSeed(seed, streamName);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const nextNormal = (): number => {
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    return radius * Math.cos(2 * Math.PI * next());
  };
  return {next, nextNormal};
}

/**
 * Derives a 31-bit seed for a tfjs initializer from the job's seed.
 *
 * @param seed - the job's seed
 * @param streamName - one name per initialized tensor
 * @returns an integer in [0, 2^31)
 */
export function deriveSeed(seed: number, streamName: string): number {
  return mixSeed(seed, streamName) & 0x7fffffff;
}

// FNV-1a over the stream name, folded with both halves of the seed.
function mixSeed(seed: number, streamName: string): number {
  let hash = 0x811c9dc5;
  const text = `${Math.floor(seed / 4294967296)}:${seed >>> 0}:${streamName}`;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
