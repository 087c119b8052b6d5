/**
 * The one ordering of planned windows: score, then (for scores within
 * 1e-9 relative) earliest start, home region, region name.
 */

/** Relative tolerance under which two scores count as equal. */
export const TIE_RELATIVE_TOLERANCE = 1e-9;

/** What the ordering reads of a window. */
export interface OrderableWindow {
  readonly regionId: string;
  readonly startMs: number;
  readonly score: number;
}

/** Whether two scores are equal within the tie tolerance. */
export function scoresTie(left: number, right: number): boolean {
  const scale = Math.max(Math.abs(left), Math.abs(right));
  return Math.abs(left - right) <= TIE_RELATIVE_TOLERANCE * scale;
}

/**
 * Negative when `left` is preferred over `right`, whatever input order.
 *
 * @param isHome - tells whether a region is the job's home region
 */
export function compareWindows(
  left: OrderableWindow,
  right: OrderableWindow,
  isHome: (regionId: string) => boolean,
): number {
  if (!scoresTie(left.score, right.score)) return left.score - right.score;
  if (left.startMs !== right.startMs) return left.startMs - right.startMs;
  const homeOrder = Number(isHome(right.regionId)) -
    Number(isHome(left.regionId));
  if (homeOrder !== 0) return homeOrder;
  return left.regionId < right.regionId ? -1 :
    left.regionId > right.regionId ? 1 : 0;
}
