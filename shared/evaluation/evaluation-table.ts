/**
 * The evaluation as a Markdown table: one row per scenario, then the
 * aggregate ratios.
 */
import type {EvaluationReport} from './evaluation-types.js';

/** Targets the evaluation is measured against. */
export const EVALUATION_TARGETS = {
  ratioToOracle: 0.97,
  temporalRatioToOracle: 0.9,
} as const;

const percent = (value: number | null) =>
  value === null ? 'n/a' : `${value.toFixed(2)} %`;
const ratio = (value: number | null) =>
  value === null ? 'n/a' : value.toFixed(3);

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
      `${s.beatsEveryBaseline ? 'yes' : 'no'} |`),
    '',
    '| aggregate | ratio to oracle | temporal ratio to oracle |',
    '| --- | ---: | ---: |',
    `| all | ${ratio(report.aggregate.ratioToOracle)} | ` +
      `${ratio(report.aggregate.temporalRatioToOracle)} |`,
    ...Object.entries(report.aggregate.byKind).map(([kind, pair]) =>
      `| ${kind} | ${ratio(pair.ratioToOracle)} | ` +
      `${ratio(pair.temporalRatioToOracle)} |`),
    `| target | >= ${EVALUATION_TARGETS.ratioToOracle} | ` +
      `>= ${EVALUATION_TARGETS.temporalRatioToOracle} |`,
  ];
  return lines.join('\n') + '\n';
}
