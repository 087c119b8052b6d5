import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import type {Command} from 'commander';
import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import {loadHardwareCatalog} from '../shared/footprint/hardware-catalog.js';
import {jobFileNameProblem} from '../shared/schemas/job-file-name.js';
import {
  parseJobDocument,
  type JobDocumentResult,
} from '../shared/schemas/parse-job-document.js';
import type {ValidationIssue} from '../shared/schemas/validation-issues.js';

/** What `validate` prints with --json. */
export interface ValidateOutput {
  readonly file: string;
  readonly valid: boolean;
  /** The instant the deadline was checked against. */
  readonly now: string;
  readonly issues: readonly ValidationIssue[];
}

const OFFSET_INSTANT = /T.*(Z|[+-]\d{2}:\d{2})$/;

/**
 * Adds `validate FILE`: checks a job request exactly as ingest-job does
 * (the same shared code path) and prints every problem. Exits 0 when
 * valid, 1 when invalid, 2 when the file or an option cannot be used.
 */
export function registerValidateCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('validate')
    .description(
      'Check a job request (JSON or YAML) as ingest-job would and print ' +
        'every problem: the field, what was wrong and what is allowed. ' +
        'Exits 0 when valid, 1 when invalid, 2 when the file is unreadable.',
    )
    .argument('<file>', 'job request file (JSON or YAML)')
    .option('--now <instant>',
      'check the deadline against this instant (RFC 3339 with offset) ' +
        'instead of the current time')
    .option('--json', 'print one JSON object instead of text', false)
    .addHelpText('after', '\nExample:\n  carbon-scheduler validate ' +
      'examples/jobs/fine-tune-h100.json --now 2022-06-14T00:00:00Z\n')
    .action((file: string, raw: {now?: string; json?: boolean}) => {
      const fail = (message: string) => {
        process.stderr.write(`${message}\n`);
        setExitCode(2);
      };

      // Step 1: the options and the file.
      let nowMs = Date.now();
      if (raw.now !== undefined) {
        nowMs = Date.parse(raw.now);
        if (!OFFSET_INSTANT.test(raw.now) || !Number.isFinite(nowMs)) {
          fail(`--now: "${raw.now}" is not an RFC 3339 instant with a UTC ` +
            'offset; give e.g. 2022-06-14T00:00:00Z');
          return;
        }
      }
      const bytes = readJobFile(file);
      if (typeof bytes === 'string') {
        fail(bytes);
        return;
      }

      // Step 2: the same checks as ingest-job (its file name rule for
      // uploads included), then the report.
      const regionIds = loadRegionCatalog().regions.map((region) => region.id);
      const machineTypes = [...loadHardwareCatalog().machineTypes.keys()];
      const parsed = parseJobDocument(bytes, {nowMs, regionIds,
        machineTypes});
      const nameProblem = jobFileNameProblem(path.basename(file));
      const result: JobDocumentResult = nameProblem === null ? parsed : {
        ok: false,
        issues: [{field: '(file name)', problem: nameProblem},
          ...(parsed.ok ? [] : parsed.issues)],
      };
      const output: ValidateOutput = {
        file,
        valid: result.ok,
        now: new Date(nowMs).toISOString(),
        issues: result.ok ? [] : result.issues,
      };
      process.stdout.write(
        (raw.json ? JSON.stringify(output, null, 2) : formatOutput(output)) +
          '\n',
      );
      setExitCode(result.ok ? 0 : 1);
    });
}

// The file's bytes, or why it cannot be read.
function readJobFile(file: string): Uint8Array | string {
  try {
    if (!statSync(file).isFile()) {
      return `FILE: "${file}" is not a file; give the path of a JSON or ` +
        'YAML job request, e.g. examples/jobs/fine-tune-h100.json';
    }
    return readFileSync(file);
  } catch (error) {
    return `FILE: cannot read "${file}" (from ${process.cwd()}): ` +
      `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` +
      '; give the path of a JSON or YAML job request';
  }
}

function formatOutput(output: ValidateOutput): string {
  if (output.valid) {
    return `${output.file}: valid job request (deadline checked against ` +
      `${output.now})`;
  }
  const count = output.issues.length;
  return [
    `${output.file}: invalid job request, ${count} ` +
      `problem${count === 1 ? '' : 's'}:`,
    ...output.issues.map((issue) => `  ${issue.field}: ${issue.problem}`),
  ].join('\n');
}
