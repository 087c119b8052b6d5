import type {PublishedCommand} from './jobs-publish.js';
import type {JobListEntry, JobStatus} from './jobs-status.js';

/** `jobs list` as a table. */
export function formatJobList(entries: readonly JobListEntry[]): string {
  if (entries.length === 0) return 'no jobs match';
  const rows = [['JOB', 'STATE', 'PROJECT', 'SUBMITTED', 'SEGMENTS'],
    ...entries.map((e) => [e.jobId, e.state, e.project ?? '-',
      e.submittedAt, String(e.segments)])];
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) =>
    cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `jobs status ID` as text. */
export function formatJobStatus(status: JobStatus): string {
  const lines = [
    `job ${status.jobId}: ${status.state}` +
      (status.failureReason ? ` (${status.failureReason})` : ''),
    `project ${status.project ?? '-'}, deadline ${status.deadline ?? '-'}`,
  ];
  if (status.plan) {
    lines.push(`plan (${status.plan.mode}, ${status.plan.signal}): ` +
      `${status.plan.expectedEmissionsKg.toFixed(3)} kgCO2e expected`);
    for (const segment of status.plan.segments) {
      lines.push(`  planned ${segment.region} ${segment.start} -> ` +
        segment.end);
    }
    lines.push(`  why: ${status.plan.why}`);
  } else {
    lines.push('plan: none yet');
  }
  lines.push(`segments so far: ${status.segmentsSoFar.length}`);
  for (const segment of status.segmentsSoFar) {
    lines.push(`  #${segment.index} ${segment.region} ` +
      segmentSpan(segment) + `, steps ${segment.startStep ?? '?'}` +
      `-${segment.endStep ?? '?'} ${segment.endState ?? ''}`.trimEnd());
  }
  const emissions = status.emissionsSoFar;
  lines.push(emissions.kilograms === null
    ? `emissions so far: unknown (${emissions.reason})`
    : `emissions so far: ${emissions.kilograms.toFixed(3)} kgCO2e ` +
      `(${emissions.finalSegments} final, ${emissions.progressSegments} ` +
      'in progress)' + (emissions.recordedAt
        ? `, recorded at ${emissions.recordedAt}` : ''));
  const next = status.nextDecision;
  lines.push(next
    ? `next: ${next.what} at ${next.at ?? 'no set time'} (${next.why})`
    : 'next: nothing, the job has ended');
  for (const command of status.commands) {
    lines.push(`command ${command.commandId}: ${command.command} ` +
      `${command.status} by ${command.requestedBy ?? 'unknown'}` +
      (command.outcome ? ` (${command.outcome})` : ''));
  }
  return lines.join('\n');
}

// From its start (or launch) to the trainer's last step, labelled.
function segmentSpan(segment: JobStatus['segmentsSoFar'][number]): string {
  const start = segment.startedAt
    ? `started ${segment.startedAt}` : `launched ${segment.launchedAt}`;
  return segment.endedAt
    ? `${start}, trained until ${segment.endedAt} (last step)`
    : `${start}, running`;
}

/** A published command as text. */
export function formatPublished(published: PublishedCommand): string {
  return `command ${published.commandId}: ${published.command} for ` +
    `${published.jobId} published to ${published.topic} (message ` +
    `${published.messageId}, requested by ${published.requestedBy}, ` +
    `from ${published.requestedByOrigin})`;
}
