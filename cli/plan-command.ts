import type {Command} from 'commander';
import {SchedulerError} from '../shared/errors.js';
import {PlanCommandError} from './plan-errors.js';
import {readPlanRequest} from './plan-request.js';
import type {PlanFlags} from './plan-request.js';
import {runPlan} from './plan-run.js';
import type {PlanAnswer, PlanCounterfactual} from './plan-run.js';

/** Adds `plan` to the program. */
export function registerPlanCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('plan')
    .description(
      'Find the greenest region and start (or checkpoint segments) for a ' +
        'job, from forecast files or the replayed 2021-2022 traces, and ' +
        'compare it with running at once in the home region.',
    )
    .option('--job <file>', 'job request (JSON or YAML); flags override it')
    .option('--regions <ids>', 'allowed regions, comma-separated')
    .option('--residency <groups>', 'EU, US, a country code or any, ' +
      'comma-separated')
    .option('--home <region>', 'home region for the counterfactual ' +
      '(default: the job\'s, else the first of --regions)')
    .option('--duration <length>', 'run time at full speed, e.g. 8h, 90m')
    .option('--earliest <instant>', 'earliest start (RFC 3339)')
    .option('--deadline <instant>', 'the job must end by then (RFC 3339)')
    .option('--interruptible', 'may pause after checkpoints')
    .option('--no-interruptible', 'runs in one piece, whatever the job ' +
      'file says')
    .option('--now <instant>', 'plan as of this instant (default: the ' +
      'clock with --forecasts; required with the replayed traces)')
    .option('--forecasts <dir>', 'folder of <ZONE>.json Electricity Maps ' +
      'v3 forecast responses (default: replay forecaster at --now)')
    .option('--basis <type>', 'rank on lifecycle or direct factors ' +
      '(default: lifecycle; regions on another basis are excluded)')
    .option('--power-kw <kilowatts>', 'IT power (default: from the job\'s ' +
      'hardware, else 1 kW)')
    .option('--prices <file>', 'price table for costWeight > 0 (default: ' +
      'data/prices/prices.csv)')
    .option('--quotas <file>', 'accelerator quota per region (JSON, e.g. ' +
      '{"us-east4": {"NVIDIA_H100_80GB": 0}, "*": {...}}); regions ' +
      'without room are excluded with the reason')
    .option('--json', 'print one JSON object instead of text', false)
    .action(async (flags: PlanFlags) => {
      try {
        const answer = await runPlan(readPlanRequest(flags));
        process.stdout.write(flags.json ?
          JSON.stringify(answer, null, 2) + '\n' : formatPlan(answer));
        setExitCode(0);
      } catch (error) {
        if (!(error instanceof SchedulerError)) throw error;
        const code = error instanceof PlanCommandError ? error.exitCode : 2;
        if (flags.json) {
          const planError = error instanceof PlanCommandError ? error : null;
          process.stdout.write(JSON.stringify({error: {code: error.code,
            field: planError?.field ?? null, message: error.message,
            ...(planError?.excluded ? {excluded: planError.excluded} : {})}},
          null, 2) + '\n');
        }
        process.stderr.write(`plan: ${error.message}\n`);
        setExitCode(code);
      }
    });
}

// The counterfactual line: grams, region and start, or why unknown.
function atOnce(counterfactual: PlanCounterfactual): string {
  const {region, start, expectedEmissionsGrams, unknownReason} =
    counterfactual;
  if (region === null) return `unknown: ${unknownReason ?? 'no home region'}`;
  const where = `in ${region} from ${start}`;
  return expectedEmissionsGrams === null
    ? `unknown ${where}: ${unknownReason ?? 'no forecast'}`
    : `${(expectedEmissionsGrams / 1000).toFixed(3)} kgCO2e ${where}`;
}

function formatPlan(answer: PlanAnswer): string {
  const grams = (value: number | null) => value === null ? 'unknown' :
    `${(value / 1000).toFixed(3)} kgCO2e`;
  const lines = [
    `region   ${answer.region} (zone ${answer.zone})`,
    `window   ${answer.start} to ${answer.end}` +
      (answer.segments.length > 1 ? `, ${answer.segments.length} segments`
        : ''),
    ...(answer.segments.length > 1 ? answer.segments.map((s) =>
      `         ${s.region} ${s.start} to ${s.end}`) : []),
    `average  ${answer.averageIntensity.toFixed(2)} gCO2e/kWh ` +
      `(${answer.signal.emissionFactorType}, ${answer.signal.provider})`,
    `expected ${grams(answer.expectedEmissionsGrams)}`,
    `at once  ${atOnce(answer.counterfactual)}`,
    `saved    ${answer.savedPercent === null ? 'unknown' +
      (answer.counterfactual.unknownReason ? ' (no counterfactual)' : '') :
      `${answer.savedPercent.toFixed(1)} %`}`,
    `excluded ${answer.excluded.length === 0 ? 'none' :
      answer.excluded.map((e) => `${e.region} (${e.reason})`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}
