/**
 * The evaluation as an SVG bar chart, rendered server-side by ECharts:
 * percent saved per scenario by our scheduler, the oracle and each
 * baseline.
 */
import {init} from 'echarts';
import type {
  EvaluationReport,
} from '../../shared/evaluation/evaluation-types.js';

/** Renders the chart; returns the SVG document's text. */
export function renderEvaluationChart(report: EvaluationReport): string {
  const names = report.scenarios.map((scenario) => scenario.name);
  const value = (percent: number | null) =>
    percent === null ? null : Number(percent.toFixed(2));
  const series = [
    {name: 'scheduler (honest forecast, re-planning)',
      data: report.scenarios.map((s) => value(s.savedPercent))},
    {name: 'oracle (perfect foresight)',
      data: report.scenarios.map((s) => value(s.oracleSavedPercent))},
    {name: 'Carbon Aware SDK window', data: report.scenarios.map((s) =>
      value(s.baselines.carbonAwareSdkWindow.savedPercent))},
    {name: 'Let\'s Wait Awhile', data: report.scenarios.map((s) =>
      value(s.baselines.letsWaitAwhileInterruptible.savedPercent))},
    {name: 'static low-average region', data: report.scenarios.map((s) =>
      value(s.baselines.staticLowAverageRegion.savedPercent))},
  ];
  const height = 160 + names.length * 46;
  const chart = init(null, null, {renderer: 'svg', ssr: true, width: 1000,
    height});
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: {text: 'Emissions saved against running at once at home (%)',
      left: 'center'},
    legend: {top: 30},
    grid: {left: 260, right: 40, top: 80, bottom: 40},
    xAxis: {type: 'value', name: '% saved'},
    yAxis: {type: 'category', data: names, inverse: true},
    series: series.map((entry) => ({...entry, type: 'bar', barGap: '10%'})),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
