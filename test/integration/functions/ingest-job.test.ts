import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {waitForAuditedMessage} from '../../../adapters/local/audit-reader.js';
import {DirectoryBlobStore} from '../../../adapters/local/directory-blob-store.js';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {TrackedPublisher} from '../../../adapters/local/tracked-publisher.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {ensureTopology} from '../../../adapters/pubsub/topology.js';
import {createIngestJob} from '../../../functions/ingest-job/handler.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {LifecycleArguments} from '../../../shared/ports/lifecycle-starter.js';
import {useEmulator} from '../../support/emulator.js';

const START_MS = Date.parse('2022-06-14T00:00:00Z');

describe('ingest-job on the Pub/Sub emulator', function () {
  this.timeout(60_000);
  const {pubsub} = useEmulator('ingest');
  let directory: string;
  let clock: VirtualClock;
  let publisher: TrackedPublisher;
  let host: FunctionHost;
  let blobs: DirectoryBlobStore;
  let ledger: FileLedger;
  const started: LifecycleArguments[] = [];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'ingest-'));
    clock = new VirtualClock(START_MS);
    publisher = new TrackedPublisher(
      pubsub(),
      clock,
      new Set(['job-requests', 'job-uploads']),
    );
    host = new FunctionHost((id) => publisher.settle(id));
    blobs = new DirectoryBlobStore(path.join(directory, 'blobs'));
    ledger = new FileLedger({ledgerDirectory: path.join(directory, 'ledger')});
    const handler = createIngestJob({
      ledger,
      clock,
      blobs,
      intake: new DirectoryBlobStore(path.join(directory, 'intake')),
      publisher,
      // A recording lifecycle starter: the workflow runner is tested apart.
      lifecycle: {
        start: async (argument) => {
          started.push(argument);
          return {executionName: `local/${argument.jobId}`};
        },
      },
      logger: createMemoryLogger(),
      projectId: pubsub().projectId,
      pollSeconds: 1800,
    });
    const hosted = await host.serve('ingest-job', 'ingestJob', handler);
    await ensureTopology(pubsub(), {'ingest-job': hosted.baseUrl});
  });

  after(async () => {
    await host.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('accepts a valid job and starts exactly one lifecycle', async () => {
    const text = await readFile('examples/jobs/fine-tune-h100.json', 'utf8');
    const job = JSON.parse(text);
    await publisher.publish('job-requests', job);
    await publisher.publish('job-requests', job);
    await clock.run(() => publisher.inFlightCount() === 0);

    assert.equal(started.length, 1);
    assert.equal(started[0]?.jobId, 'fine-tune-llama-demo');
    const snapshot = await readSnapshot(blobs, 'fine-tune-llama-demo');
    assert.equal(snapshot?.state, 'accepted');
    assert.equal(snapshot?.submittedAtMs, START_MS);

    // One job in the ledger, whatever the duplicates wrote.
    const rows = await ledger.query('SELECT DISTINCT insert_id, job_id, ' +
      'project_id, home_region, submitted_at, duration_hours, ' +
      'accelerator_type FROM jobs');
    assert.deepEqual(rows, [{insert_id: 'fine-tune-llama-demo',
      job_id: 'fine-tune-llama-demo', project_id: job.project,
      home_region: 'us-east4', submitted_at: new Date(START_MS),
      duration_hours: job.durationHours,
      accelerator_type: 'NVIDIA_H100_80GB'}]);
  });

  it('puts an invalid job on job-rejected with every bad field', async () => {
    const text = await readFile('examples/jobs/invalid-job.json', 'utf8');
    const messageId = await publisher.publish('job-requests', JSON.parse(text));
    const rejected = await waitForAuditedMessage(
      pubsub(),
      'job-rejected',
      (message) => message.attributes.sourceMessageId === messageId,
    );
    const reasons = (rejected.body as {reasons: {field: string}[]}).reasons;
    const fields = reasons.map((reason) => reason.field).sort();
    assert.deepEqual(fields, [
      'constraints.deadline',
      'durationHours',
      'hardware.acceleratorType',
      'project',
    ]);
  });

});
