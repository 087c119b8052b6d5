import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Command} from 'commander';
import {
  renderEvaluationChart,
} from '../adapters/evaluation/evaluation-chart.js';
import {readJobMixFile} from '../adapters/evaluation/job-mix-file.js';
import {
  loadEvaluationInputs,
} from '../adapters/evaluation/load-evaluation-inputs.js';
import {
  EVALUATION_TARGETS,
  formatEvaluationTable,
} from '../shared/evaluation/evaluation-table.js';
import {DEFAULT_JOB_MIX} from '../shared/evaluation/job-mix.js';
import {runEvaluation} from '../shared/evaluation/run-evaluation.js';
import {SchedulerError} from '../shared/errors.js';
import {CommandFailure} from './command-failure.js';
import {createJsonLogger} from '../shared/ports/logger.js';

/** Adds `evaluate` to the program. */
export function registerEvaluateCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('evaluate')
    .description(
      'Replay recorded grid traces hour by hour with the honest forecaster ' +
        'and re-planning, over a mix of jobs (1-90 h; deadlines next ' +
        'workday, +24 h, +48 h; pausable or not; residency home, EU, US, ' +
        'any). Reports per scenario the percent saved against running at ' +
        'once at home, the oracle\'s (perfect foresight), their ratio, and ' +
        'three baselines on the same forecast; writes a table and a chart.')
    .option('--traces <folder>', 'Electricity Maps hourly exports ' +
      '(<ZONE>_<YEAR>_hourly.csv); default: the shipped traces')
    .option('--jobs <file>', 'job-mix file (JSON or YAML) overriding ' +
      'fields of the default mix')
    .option('--limit <count>', 'replay at most this many submission ' +
      'instants, spread evenly (a quick run)')
    .option('--foresight-hours <hours>', 'analysis, not the product: ' +
      'forecasts equal the observed hours for this many hours after each ' +
      'issue (what a better forecaster could reach); default 0')
    .option('--out <folder>', 'where evaluation.json, evaluation.md and ' +
      'evaluation.svg go (default .local/evaluations/<time>)')
    .option('--json', 'print one JSON object instead of the table', false)
    .action((raw: Record<string, string | boolean | undefined>) => {
      const startedMs = Date.now();
      const limit = raw.limit === undefined ? undefined : Number(raw.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
        throw new CommandFailure('invalid-option', `--limit: ` +
          `"${raw.limit}" is not a whole number >= 1; give how many ` +
          'submission instants to replay, e.g. --limit 3');
      }
      const foresightText = raw.foresightHours === undefined ? '0' :
        String(raw.foresightHours);
      const foresight = /^\d+$/.test(foresightText) ?
        Number(foresightText) : Number.NaN;
      if (!(Number.isSafeInteger(foresight) && foresight >= 0)) {
        throw new CommandFailure('invalid-option', `--foresight-hours: ` +
          `"${raw.foresightHours}" is not a whole number >= 0; give the ` +
          'hours of perfect foresight to analyse, e.g. --foresight-hours 24');
      }
      // The output folder is made first: a bad --out fails at once, not
      // after the replay.
      const outDirectory = raw.out === undefined ? path.join('.local',
        'evaluations', new Date().toISOString().replace(/[:.]/g, '-')) :
        String(raw.out);
      makeOutDirectory(outDirectory);
      try {
        const mix = raw.jobs === undefined ? DEFAULT_JOB_MIX :
          readJobMixFile(String(raw.jobs));
        const inputs = loadInputs(raw.traces);
        const logger = createJsonLogger('evaluate',
          (line) => process.stderr.write(line));
        const report = runEvaluation({...inputs, mix,
          ...(limit === undefined ? {} : {limit}),
          perfectForesightHours: foresight,
          onProgress: (done, total) => logger.log('INFO',
            'submission instant replayed', {done, total})});
        if (report.jobCount === 0) {
          throw new CommandFailure('evaluation-input', '--traces: no job ' +
            'of the mix fits the traces: each needs a week of history ' +
            'before its submission and its duration plus up to 4 days ' +
            'after it; give longer traces, or a --jobs mix with shorter ' +
            'durationsHours');
        }
        const table = formatEvaluationTable(report);
        const files = writeFiles(outDirectory, report, table);
        const result = {...report, targets: targetsOf(report),
          traces: {directory: shownPath(inputs.tracesDirectory),
            years: inputs.years},
          mix, wallSeconds: (Date.now() - startedMs) / 1000, files};
        writeFileSync(files.json, JSON.stringify(result, null, 2) + '\n');
        process.stdout.write(raw.json ? JSON.stringify(result, null, 2) +
          '\n' : `${table}\nfiles: ${Object.values(files).join(', ')}\n`);
        setExitCode(0);
      } catch (error) {
        if (!(error instanceof SchedulerError)) throw error;
        throw new CommandFailure(error.code, error.message, {cause: error});
      }
    });
}

function loadInputs(traces: string | boolean | undefined) {
  const directory = traces === undefined ? undefined : String(traces);
  try {
    const inputs = loadEvaluationInputs(directory);
    if (inputs.observed.size === 0) {
      throw new Error('it holds no <ZONE>_<YEAR>_hourly.csv file');
    }
    return inputs;
  } catch (error) {
    if (error instanceof SchedulerError) throw error;
    throw new SchedulerError('evaluation-input', `--traces: cannot use ` +
      `"${directory}" (${(error as Error).message}); give a folder of ` +
      'Electricity Maps hourly exports named <ZONE>_<YEAR>_hourly.csv');
  }
}

// Creates the folder, or fails naming --out and why.
function makeOutDirectory(directory: string): void {
  try {
    mkdirSync(directory, {recursive: true});
    const probe = path.join(directory, '.write-check');
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new CommandFailure('invalid-option', `--out: cannot write ` +
      `"${directory}" (${(error as NodeJS.ErrnoException).code ??
        (error as Error).message}); give a folder you can write to`);
  }
}

// A path inside the working folder is shown relative to it, so a report
// names no machine's folders.
function shownPath(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  return relative !== '' && !relative.startsWith('..') &&
    !path.isAbsolute(relative) ? relative : directory;
}

function writeFiles(
  directory: string,
  report: Parameters<typeof renderEvaluationChart>[0],
  table: string,
) {
  mkdirSync(directory, {recursive: true});
  const files = {json: path.join(directory, 'evaluation.json'),
    table: path.join(directory, 'evaluation.md'),
    chart: path.join(directory, 'evaluation.svg')};
  writeFileSync(files.table, table);
  writeFileSync(files.chart, renderEvaluationChart(report));
  return files;
}

function targetsOf(report: Parameters<typeof renderEvaluationChart>[0]) {
  const meets = (value: number | null | undefined, target: number) =>
    value !== null && value !== undefined && value >= target;
  const kinds = Object.entries(report.aggregate.byKind);
  return {
    ratioToOracle: {target: EVALUATION_TARGETS.ratioToOracle,
      met: kinds.every(([, pair]) => meets(pair.ratioToOracle,
        EVALUATION_TARGETS.ratioToOracle))},
    temporalRatioToOracle: {target: EVALUATION_TARGETS.temporalRatioToOracle,
      met: kinds.every(([, pair]) => meets(pair.temporalRatioToOracle,
        EVALUATION_TARGETS.temporalRatioToOracle))},
    everyBaselineInEveryScenario: report.scenarios.every((scenario) =>
      scenario.beatsEveryBaseline !== false),
  };
}
