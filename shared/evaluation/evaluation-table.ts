/**
 * The evaluation as a Markdown table: one row per scenario, then the
 * aggregate ratios.
 */
import type {EvaluationReport, RatioPair} from './evaluation-types.js';
import type {RatioInterval} from './ratio-interval.js';

/** Targets the evaluation is measured against. */
export const EVALUATION_TARGETS = {
  ratioToOracle: 0.97,
  temporalRatioToOracle: 0.9,
} as const;

const percent = (value: number | null) =>
  value === null ? 'n/a' : `${value.toFixed(2)} %`;
const ratio = (value: number | null) =>
  value === null ? 'n/a' : value.toFixed(3);
const range = (interval: RatioInterval | null) => interval === null ?
  'n/a' : `${interval.low.toFixed(3)}-${interval.high.toFixed(3)}`;
const withRange = (value: number | null, interval: RatioInterval | null) =>
  `${ratio(value)} (${range(interval)})`;

/** The report as Markdown. */
export function formatEvaluationTable(report: EvaluationReport): string {
  const lines = [
    '| scenario | jobs | saved | oracle saved | ratio to oracle | ' +
      'Carbon Aware SDK window | Let\'s Wait Awhile | static low-average ' +
      'region | beats every baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...report.scenarios.map((s) => `| ${s.name} | ${s.jobCount} | ` +
      `${percent(s.savedPercent)} | ${percent(s.oracleSavedPercent)} | ` +
      `${ratio(s.ratioToOracle)} | ` +
      `${percent(s.baselines.carbonAwareSdkWindow.savedPercent)} | ` +
      `${percent(s.baselines.letsWaitAwhileInterruptible.savedPercent)} | ` +
      `${percent(s.baselines.staticLowAverageRegion.savedPercent)} | ` +
      `${s.beatsEveryBaseline === null ? 'n/a' :
        s.beatsEveryBaseline ? 'yes' : 'no'} |`),
    '',
    '| aggregate (95 % interval) | ratio to oracle | ' +
      'temporal ratio to oracle |',
    '| --- | ---: | ---: |',
    aggregateRow('all', report.aggregate),
    ...Object.entries(report.aggregate.byKind).map(([kind, pair]) =>
      aggregateRow(kind, pair)),
    `| target | >= ${EVALUATION_TARGETS.ratioToOracle} | ` +
      `>= ${EVALUATION_TARGETS.temporalRatioToOracle} |`,
  ];
  const spacing = report.origins.spreadEvenly ?
    'spread evenly over the traces (--limit)' :
    `${report.origins.stepHours} h apart`;
  return lines.join('\n') + '\n' + `\n${report.jobCount} jobs from ` +
    `${report.origins.count} submission instants ${spacing}; intervals ` +
    'resample the instants. Forecaster: ' + report.forecaster + '.\n';
}

function aggregateRow(name: string, pair: RatioPair | undefined): string {
  if (pair === undefined) return `| ${name} | n/a | n/a |`;
  return `| ${name} | ` +
    `${withRange(pair.ratioToOracle, pair.interval95.ratioToOracle)} | ` +
    withRange(pair.temporalRatioToOracle,
      pair.interval95.temporalRatioToOracle) + ' |';
}
