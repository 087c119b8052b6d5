import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {
  cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {
  runFootprintCommand,
  type FootprintOutput,
} from '../../../cli/footprint-command.js';
import {
  runReportCommand,
  type ReportOptions,
} from '../../../cli/report-command.js';
import type {
  JobReport,
  ProjectMonthReport,
} from '../../../shared/ledger/ledger-reports.js';

const DEFAULT_JOB = 'examples/jobs/fine-tune-h100.json';
const PROJECT = 'demo-research';

async function demoWithBudget(
  runDirectory: string,
  carbonBudgetKg: number,
): Promise<DemoResult> {
  // The operator's budgets, where the functions read them.
  await mkdir(path.join(runDirectory, 'blobs', 'config'), {recursive: true});
  await writeFile(path.join(runDirectory, 'blobs', 'config', 'budgets.json'),
    JSON.stringify({schemaVersion: 1, overBudget: 'reject',
      projects: {[PROJECT]: {carbonBudgetKg}}}));
  return runDemo({
    jobFile: DEFAULT_JOB,
    nowMs: Date.parse(DEFAULT_DEMO_NOW),
    speed: 0,
    oracle: false,
    json: true,
    runDirectory,
    projectId: `report-${randomUUID().slice(0, 8)}`,
    ...(process.env.TEST_PUBSUB_EMULATOR_HOST
      ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
      : {}),
  });
}

async function report(options: ReportOptions): Promise<{
  code: number; stdout: string; stderr: string;
}> {
  let stdout = '';
  let stderr = '';
  const code = await runReportCommand(options, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
  });
  return {code, stdout, stderr};
}

function runCli(args: string[]): Promise<{code: number | null;
  stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath,
      ['bin/carbon-scheduler.js', ...args],
      {stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({code, stdout, stderr}));
  });
}

const close = (actual: number | null | undefined, expected: number | null,
  tolerance = 1e-9) => actual !== null && actual !== undefined &&
  expected !== null && Math.abs(actual - expected) <= tolerance;

// The batch record-footprint wrote: the one with the counterfactual row.
async function finalFootprintBatch(runDirectory: string): Promise<string> {
  const directory = path.join(runDirectory, 'ledger', 'footprints');
  for (const name of (await readdir(directory)).sort()) {
    const text = await readFile(path.join(directory, name), 'utf8');
    if (text.includes('"footprint_kind":"counterfactual"')) {
      return path.join(directory, name);
    }
  }
  throw new Error('no footprint batch with a counterfactual row');
}

describe('report after a demo run', function () {
  this.timeout(300_000);
  let directory: string;
  let runDirectory: string;
  let demo: DemoResult;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'report-demo-'));
    runDirectory = path.join(directory, 'run');
    demo = await demoWithBudget(runDirectory, 5);
    assert.equal(demo.status, 'completed', JSON.stringify(demo));
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('reports the job with segments that add up to its total', async () => {
    const {code, stdout} = await report({job: demo.jobId!, runDir:
      runDirectory, json: true});
    assert.equal(code, 0);
    const job = JSON.parse(stdout) as JobReport;
    assert.equal(job.jobId, demo.jobId);
    assert.equal(job.project, PROJECT);
    assert.equal(job.status, 'completed');
    assert.equal(job.segments.length, demo.pauses + 1);
    const sum = (pick: (s: JobReport['segments'][number]) => number | null) =>
      job.segments.reduce((total, s) => total + pick(s)!, 0);
    assert.ok(close(sum((s) => s.emissionsKg), job.emissionsKg!, 1e-12));
    assert.ok(close(sum((s) => s.scope2LocationBasedKg),
      job.scope2LocationBasedKg!, 1e-12));
    assert.ok(close(sum((s) => s.scope3EmbodiedKg), job.scope3EmbodiedKg!,
      1e-12));
    assert.ok(close(job.scope2LocationBasedKg! + job.scope3EmbodiedKg!,
      job.emissionsKg!, 1e-12));
    assert.ok(close(job.emissionsKg, demo.emissionsKg));
    assert.ok(close(job.counterfactualEmissionsKg,
      demo.counterfactualEmissionsKg));
    assert.ok(close(job.savedPercent, demo.savedPercent));
    assert.ok(close(job.savedScope2Percent, demo.savedScope2Percent));
    for (const segment of job.segments) {
      assert.equal(segment.status, 'final');
      assert.ok(segment.region.length > 0);
      assert.ok(Date.parse(segment.end) > Date.parse(segment.start));
      assert.ok(segment.energyKwh > 0);
    }
  });

  it('labels each segment\'s span as held from launch until its last step',
    async () => {
      const {code, stdout} = await report({job: demo.jobId!, runDir:
        runDirectory});

      assert.equal(code, 0);
      assert.ok(demo.trainedUntil);
      assert.ok(stdout.includes(`trained until ${demo.trainedUntil} ` +
        '(last step)'), stdout);
      assert.match(stdout, /segment 0 \S+ held from \S+, trained until /);
    });

  it('reports the project month with its budget use', async () => {
    const {code, stdout} = await report({project: PROJECT, month: '2022-06',
      runDir: runDirectory, json: true});
    assert.equal(code, 0);
    const month = JSON.parse(stdout) as ProjectMonthReport;
    assert.equal(month.jobCount, 1);
    assert.ok(close(month.emissionsKg, demo.emissionsKg));
    assert.ok(close(month.counterfactualEmissionsKg,
      demo.counterfactualEmissionsKg));
    assert.equal(month.jobs[0]?.jobId, demo.jobId);
    // Reserved at plan time, then trued up to the measured scope 2.
    assert.equal(month.budget?.carbonBudgetKg, 5);
    assert.ok(close(month.budget?.settledKg, demo.scope2Kg));
    assert.equal(month.budget?.reservedKg, 0);
    assert.ok(close(month.budget?.usedPercent, 100 * demo.scope2Kg! / 5));
    const text = await report({project: PROJECT, month: '2022-06',
      runDir: runDirectory});
    assert.match(text.stdout, /carbon budget 5\.0000 kgCO2e/);
  });

  it('prints the segments as CSV and the regions', async () => {
    const csv = await report({job: demo.jobId!, runDir: runDirectory,
      csv: true});
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines.length, demo.pauses + 2);
    assert.ok(lines[0]!.split(',').includes('emissionsKg'));
    const regions = await report({by: 'region', runDir: runDirectory,
      json: true});
    const parsed = JSON.parse(regions.stdout) as {regions: {region: string;
      emissionsKg: number}[]};
    assert.ok(close(parsed.regions.reduce((t, r) => t + r.emissionsKg, 0),
      demo.emissionsKg));
  });

  it('recomputes the ledger numbers from the stored segment inputs',
    async () => {
      let stdout = '';
      const code = runFootprintCommand(
        {segments: await finalFootprintBatch(runDirectory), json: true},
        {out: (text) => (stdout += text), err: () => {}});
      assert.equal(code, 0);
      const recomputed = JSON.parse(stdout) as FootprintOutput;
      assert.equal(recomputed.totals.segmentCount, demo.pauses + 1);
      assert.ok(close(recomputed.totals.emissionsKg, demo.emissionsKg,
        1e-12));
      const counterfactual = recomputed.segments.find(
        (segment) => segment.footprintKind === 'counterfactual');
      assert.ok(close(counterfactual?.emissionsKg,
        demo.counterfactualEmissionsKg, 1e-12));
    });

  it('shows a running job with its footprint to date and projection, ' +
    'marked', async () => {
    // The ledger as it stood before record-footprint wrote the end.
    const runningDirectory = path.join(directory, 'running');
    await cp(path.join(runDirectory, 'ledger'),
      path.join(runningDirectory, 'ledger'), {recursive: true});
    await rm(path.join(runningDirectory, 'ledger', 'footprints',
      path.basename(await finalFootprintBatch(runDirectory))));
    const {code, stdout} = await report({job: demo.jobId!, runDir:
      runningDirectory, json: true});
    assert.equal(code, 0);
    const job = JSON.parse(stdout) as JobReport;
    assert.equal(job.status, 'running');
    assert.equal(job.totalsLabel, 'to date, job still running');
    assert.ok(job.segments.every((segment) => segment.status === 'to date'));
    assert.ok(job.emissionsKg! > 0 && job.emissionsKg! <= demo.emissionsKg!);
    assert.equal(job.projection?.label,
      'projection to completion, not measured');
    assert.ok(Math.abs(job.projection!.emissionsKg! - demo.emissionsKg!) <
      0.05 * demo.emissionsKg!);
    assert.equal(job.savedPercent, null);
  });

  it('answers through the carbon-scheduler command', async () => {
    const ok = await runCli(['report', '--job', demo.jobId!, '--run-dir',
      runDirectory, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as JobReport).jobId, demo.jobId);
    const badMonth = await runCli(['report', '--project', PROJECT,
      '--month', '2022-13', '--run-dir', runDirectory]);
    assert.equal(badMonth.code, 2);
    assert.match(badMonth.stderr, /--month: "2022-13" is not a month/);
    const unknown = await runCli(['report', '--job', 'no-such-job',
      '--run-dir', runDirectory, '--json']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--job: no footprint rows for job/);
  });
});

describe('a demo job over its carbon budget', function () {
  this.timeout(300_000);
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'report-budget-'));
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('is rejected at plan time with a message naming the budget',
    async () => {
      const runDirectory = path.join(directory, 'run');
      const demo = await demoWithBudget(runDirectory, 0.01);
      assert.equal(demo.status, 'failed');
      assert.match(String(demo.error), /over-carbon-budget/);
      assert.match(String(demo.error), /0\.01 kgCO2e/);
      const month = await report({project: PROJECT, month: '2022-06',
        runDir: runDirectory, json: true});
      assert.equal(month.code, 1, 'no job ran, so none is reported');
    });
});
