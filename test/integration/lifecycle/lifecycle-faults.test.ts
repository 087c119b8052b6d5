import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {HttpCallbackSender} from
  '../../../adapters/function-runtime/http-callback-sender.js';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import type {CallbackSender} from '../../../shared/ports/callback-sender.js';

const DEFAULT_JOB = 'examples/jobs/fine-tune-h100.json';

interface Reply {
  readonly requestId: string;
  readonly step: string;
}

/** Real HTTP replies, with a fault chosen per reply. */
class FaultyCallbackSender implements CallbackSender {
  readonly sent: Reply[] = [];
  readonly dropped: Reply[] = [];
  private readonly http = new HttpCallbackSender();

  constructor(
    private readonly fault: (reply: Reply, sender: FaultyCallbackSender) =>
      'drop' | 'send',
    private readonly before?: (url: string, reply: Reply,
      sender: FaultyCallbackSender) => Promise<void>,
  ) {}

  async send(callbackUrl: string, body: unknown): Promise<void> {
    const reply = body as Reply;
    if (this.fault(reply, this) === 'drop') {
      this.dropped.push(reply);
      return;
    }
    await this.before?.(callbackUrl, reply, this);
    this.sent.push(reply);
    await this.http.send(callbackUrl, body);
  }

  /** Posts a reply as-is to a URL, bypassing the fault. */
  async post(url: string, body: unknown): Promise<void> {
    await this.http.send(url, body);
  }
}

async function demo(
  directory: string,
  options: {jobFile?: string; callbackSender?: CallbackSender} = {},
): Promise<DemoResult> {
  return runDemo({
    jobFile: options.jobFile ?? DEFAULT_JOB,
    nowMs: Date.parse(DEFAULT_DEMO_NOW),
    speed: 0,
    oracle: false,
    json: true,
    runDirectory: path.join(directory, randomUUID()),
    projectId: `faults-${randomUUID().slice(0, 8)}`,
    ...(process.env.TEST_PUBSUB_EMULATOR_HOST
      ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
      : {}),
    ...(options.callbackSender
      ? {callbackSender: options.callbackSender}
      : {}),
  });
}

describe('the lifecycle under faults, on the Pub/Sub emulator', function () {
  this.timeout(300_000);
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'lifecycle-faults-'));
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('recovers a lost launch reply by the retry, launching once', async () => {
    // The first launch reply never reaches the execution.
    const sender = new FaultyCallbackSender((reply, self) =>
      reply.step === 'launch' &&
        self.dropped.every((earlier) => earlier.step !== 'launch')
        ? 'drop' : 'send');
    const result = await demo(directory, {callbackSender: sender});

    assert.equal(result.status, 'completed', result.error);
    const launches = [...sender.dropped, ...sender.sent]
      .filter((reply) => reply.step === 'launch');
    assert.equal(launches.length, 2, 'the stored reply was sent again');
    assert.equal(launches[0]!.requestId, launches[1]!.requestId);

    const blobs = new DirectoryBlobStore(
      path.join(result.runDirectory, 'blobs'));
    const snapshot = await readSnapshot(blobs, result.jobId!);
    const names = snapshot!.segments.map((s) => s.trainingJobName);
    assert.equal(new Set(names).size, names.length);
    assert.equal(names.length, result.pauses + 1,
      'one training segment per launch or resume, none duplicated');
  });

  it('discards a late reply to an earlier request', async () => {
    // Before each monitor reply, the previous monitor reply arrives again
    // at the new request's endpoint.
    let previous: Reply | undefined;
    let lateRepliesSent = 0;
    const sender = new FaultyCallbackSender(() => 'send',
      async (url, reply, self) => {
        if (reply.step !== 'monitor') return;
        if (previous && previous.requestId !== reply.requestId) {
          lateRepliesSent += 1;
          await self.post(url, previous);
        }
        previous = reply;
      });
    const baseline = await demo(directory);
    const result = await demo(directory, {callbackSender: sender});

    assert.ok(lateRepliesSent >= 3, `sent ${lateRepliesSent} late replies`);
    assert.equal(result.status, 'completed', result.error);
    assert.equal(result.pauses, baseline.pauses);
    assert.equal(result.virtualEnd, baseline.virtualEnd);
    assert.equal(result.emissionsKg, baseline.emissionsKg);
  });

  it('runs on a dirty grid rather than miss a tight deadline', async () => {
    // At home only, with 30 minutes of slack: no pause can be afforded.
    const job = JSON.parse(await readFile(DEFAULT_JOB, 'utf8'));
    const startMs = Date.parse(DEFAULT_DEMO_NOW);
    const deadlineMs = startMs + (job.durationHours + 0.5) * 3_600_000;
    job.jobId = 'tight-deadline-demo';
    job.constraints.regions = [job.homeRegion];
    job.constraints.deadline = new Date(deadlineMs).toISOString();
    // Every us-east4 hour of the window reads above 100 g, so the grid
    // counts as dirty throughout.
    job.signal = {type: 'average', pauseThreshold: 100};
    const jobFile = path.join(directory, 'tight-deadline.json');
    await writeFile(jobFile, JSON.stringify(job));

    const result = await demo(directory, {jobFile});

    assert.equal(result.status, 'completed', result.error);
    assert.equal(result.pauses, 0);
    assert.equal(result.plan?.region, job.homeRegion);
    const blobs = new DirectoryBlobStore(
      path.join(result.runDirectory, 'blobs'));
    const snapshot = await readSnapshot(blobs, result.jobId!);
    const lastEnd = Math.max(...snapshot!.segments.map((s) => s.endedAtMs!));
    assert.ok(lastEnd <= deadlineMs,
      `ended ${new Date(lastEnd).toISOString()} after the deadline`);

    // The grid did turn dirty, and the deadline is why it ran on.
    const forcedByDeadline = snapshot!.decisions.filter((decision) => {
      const details = decision.details as {
        reading: {gramsPerKilowattHour: number | null};
        thresholds: {pauseAboveGramsPerKilowattHour: number};
      };
      const reading = details.reading.gramsPerKilowattHour;
      return decision.decision === 'continue' && reading !== null &&
        reading > details.thresholds.pauseAboveGramsPerKilowattHour &&
        ['no-slack', 'deadline'].includes(decision.reason);
    });
    assert.ok(forcedByDeadline.length >= 1,
      'no decision continued on a dirty reading for lack of slack: ' +
        JSON.stringify(snapshot!.decisions.map((d) => d.reason)));
  });
});
