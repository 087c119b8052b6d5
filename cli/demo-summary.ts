import type {DemoResult} from './demo.js';

/** The demo's closing summary, for people. */
export function formatDemoSummary(result: DemoResult): string {
  if (result.status === 'rejected') {
    return [
      'The job request was rejected (kept on the job-rejected topic):',
      ...(result.rejectedReasons ?? []).map(
        (reason) => `  - ${reason.field}: ${reason.problem}`),
    ].join('\n');
  }
  if (result.status === 'failed') {
    return `Job ${result.jobId} failed: ${result.error}`;
  }
  const plan = result.plan;
  const kg = (value: number | null) =>
    value === null ? 'unknown' : `${value.toFixed(3)} kgCO2e`;
  const percent = (value: number | null) =>
    value === null ? 'unknown' : `${value.toFixed(1)} %`;
  return [
    '',
    `Job ${result.jobId}: ${result.status}`,
    plan
      ? `  Region and window: ${plan.region}, planned ${plan.start} to ` +
        `${plan.end} (${plan.mode}, planned ` +
        `${plan.expectedEmissionsKg.toFixed(3)} kg)`
      : '  No plan',
    // Not the planned end: the trainer's last step, then the recording.
    `  Ran: trained until ${result.trainedUntil ?? 'unknown'} (last step); ` +
      `footprint recorded at ${result.recordedAt ?? 'unknown'}`,
    plan ? `  Why: ${plan.why}` : '',
    `  Pauses: ${result.pauses}` +
      result.pauseDetails
        .map((p) => `\n    paused ${p.pausedAt} at step ${p.checkpointStep}, ` +
          `resumed ${p.resumedAt}`)
        .join(''),
    `  Emitted: ${kg(result.emissionsKg)} ` +
      `(scope 2 ${kg(result.scope2Kg)}, embodied ${kg(result.embodiedKg)})`,
    `  Had it run at once in ${result.counterfactualRegion}: ` +
      kg(result.counterfactualEmissionsKg),
    `  Saved: ${percent(result.savedPercent)} of the total ` +
      `(${percent(result.savedScope2Percent)} of scope 2)`,
    `  Ledger: ${result.ledgerRows} rows, total ` +
      `${kg(result.ledgerTotalKg)} from the rows`,
    result.training
      ? `  Training: ${result.training.steps} steps, held-out accuracy ` +
        `${result.training.heldOutAccuracy?.toFixed(3)}`
      : '',
    `  Data: ${result.dataSource ?? 'unknown'}; demo clock ran ` +
      `${result.virtualStart} to ${result.virtualEnd}`,
    `  Files: ${result.runDirectory}`,
  ].filter(Boolean).join('\n');
}
