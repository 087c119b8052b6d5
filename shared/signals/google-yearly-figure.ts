/**
 * Which of Google's yearly region figures stands for an instant. Google
 * publishes a year's figures after it ends, so an instant in a year not
 * yet published uses the newest published year, and says so; a published
 * year in which the region has no figure stays missing.
 */
import type {GoogleYearlyFigures, Region} from '../catalog/region.js';

/** The figure chosen for an instant, with why that year. */
export interface YearlyFigureChoice {
  /** The instant's calendar year (UTC). */
  readonly year: number;
  /** The year whose figures are used; null when none applies. */
  readonly figureYear: number | null;
  /** The figures of `figureYear`; null when none applies. */
  readonly figures: GoogleYearlyFigures | null;
  /** In words, e.g. `2026 not yet published; newest published 2025`. */
  readonly note: string;
}

/**
 * The yearly figures that stand for `instantMs` in `region`.
 *
 * @returns a choice whose `figures` may hold null values: a region/year
 *   without a published value is missing, never 0
 */
export function yearlyFigureAt(
  region: Region,
  instantMs: number,
): YearlyFigureChoice {
  const year = new Date(instantMs).getUTCFullYear();
  const years = region.googleYearly.map((figures) => figures.year);
  const newestYear = Math.max(...years);
  const oldestYear = Math.min(...years);

  if (years.length === 0) {
    return {year, figureYear: null, figures: null,
      note: 'the catalog holds no Google yearly figures'};
  }
  if (year < oldestYear) {
    return {year, figureYear: null, figures: null,
      note: `Google publishes region figures from ${oldestYear} on; ` +
        `none for ${year}`};
  }
  const figureYear = year > newestYear ? newestYear : year;
  const figures = region.googleYearly.find(
    (candidate) => candidate.year === figureYear) ?? null;
  const note = year > newestYear
    ? `${year} not yet published; newest published year ${newestYear}`
    : `published figures for ${year}`;
  return {year, figureYear, figures, note};
}
