/**
 * Whether a set of intensity values can be ranked against each other.
 * Values of different emission-factor bases (lifecycle average, direct
 * average, marginal) all read "gCO2e/kWh", yet a direct or marginal
 * figure is not comparable with a lifecycle one; a planner ranking regions
 * checks here first and never compares across bases silently.
 */
import {INTENSITY_BASES} from './intensity-series.js';
import type {IntensityBasis} from './intensity-series.js';

/** Anything that states its basis, e.g. a reading or a ranked row. */
export interface HasBasis {
  readonly basis: IntensityBasis;
}

/** The verdict on a set of values. */
export interface BasisComparison {
  /** True when the values come on more than one basis. */
  readonly basisMismatch: boolean;
  /** The distinct bases present, in {@link INTENSITY_BASES} order. */
  readonly bases: readonly IntensityBasis[];
  /**
   * The basis to rank on: the most common one (ties go to the earlier in
   * {@link INTENSITY_BASES}); null for an empty set.
   */
  readonly referenceBasis: IntensityBasis | null;
  /** How many values each basis has. */
  readonly countByBasis: Readonly<Partial<Record<IntensityBasis, number>>>;
}

/**
 * Compares the bases of `values`.
 *
 * @param values - readings, rows or series to be ranked together
 */
export function compareBases(values: readonly HasBasis[]): BasisComparison {
  const countByBasis: Partial<Record<IntensityBasis, number>> = {};
  for (const value of values) {
    countByBasis[value.basis] = (countByBasis[value.basis] ?? 0) + 1;
  }
  const bases = INTENSITY_BASES.filter((basis) => countByBasis[basis]);
  let referenceBasis: IntensityBasis | null = null;
  for (const basis of bases) {
    if (referenceBasis === null ||
        countByBasis[basis]! > countByBasis[referenceBasis]!) {
      referenceBasis = basis;
    }
  }
  return {basisMismatch: bases.length > 1, bases, referenceBasis,
    countByBasis};
}

/**
 * Splits values into those on `basis` and the rest, so the rest can be
 * shown apart rather than ranked against the first.
 */
export function partitionByBasis<T extends HasBasis>(
  values: readonly T[],
  basis: IntensityBasis,
): {comparable: T[]; otherBasis: T[]} {
  return {
    comparable: values.filter((value) => value.basis === basis),
    otherBasis: values.filter((value) => value.basis !== basis),
  };
}
