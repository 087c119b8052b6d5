/**
 * The start instants worth evaluating for a window of fixed length.
 */

/**
 * Start instants in [lowMs, highMs] at which the window's average can be
 * minimal: the average is piecewise linear in the start, with breaks
 * where the start or the end crosses a boundary, so its minimum over an
 * interval lies on a break or an end of the interval.
 *
 * @param boundariesMs - the series' sorted boundaries
 * @param durationMs - the window's length
 * @returns sorted, distinct starts (lowMs and highMs included)
 */
export function candidateStarts(
  boundariesMs: Float64Array,
  durationMs: number,
  lowMs: number,
  highMs: number,
): number[] {
  const starts: number[] = [];
  if (!(highMs >= lowMs)) return starts;
  const push = (startMs: number) => {
    if (startMs < lowMs || startMs > highMs) return;
    if (starts.length > 0 && starts[starts.length - 1] === startMs) return;
    starts.push(startMs);
  };

  // Merge the two sorted sequences: boundaries, and boundaries - duration.
  push(lowMs);
  let atStart = 0;
  let atEnd = 0;
  const count = boundariesMs.length;
  while (atStart < count || atEnd < count) {
    const fromStart = atStart < count ? boundariesMs[atStart] as number :
      Infinity;
    const fromEnd = atEnd < count ?
      (boundariesMs[atEnd] as number) - durationMs : Infinity;
    if (fromStart <= fromEnd) {
      push(fromStart);
      atStart += 1;
    } else {
      push(fromEnd);
      atEnd += 1;
    }
  }
  push(highMs);
  return starts;
}
