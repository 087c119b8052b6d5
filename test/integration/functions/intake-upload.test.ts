import assert from 'node:assert/strict';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {stringify} from 'yaml';
import {waitForAuditedMessage} from '../../../adapters/local/audit-reader.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {
  watchIntakeFolder,
  type IntakeFolderWatcher,
} from '../../../adapters/local/intake-folder-watcher.js';
import {PubSubPublisher} from '../../../adapters/pubsub/pubsub-publisher.js';
import {ensureTopology} from '../../../adapters/pubsub/topology.js';
import {createJobIntake} from
  '../../../functions/ingest-job/object-finalized.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {LifecycleArguments} from
  '../../../shared/ports/lifecycle-starter.js';
import {useEmulator} from '../../support/emulator.js';

const START_MS = Date.parse('2022-06-14T00:00:00Z');

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('job files dropped in the intake folder (Pub/Sub emulator)',
  function () {
    this.timeout(90_000);
    const {pubsub} = useEmulator('intake');
    let directory: string;
    let intakeFolder: string;
    let watcher: IntakeFolderWatcher;
    const host = new FunctionHost(() => {});
    const started: LifecycleArguments[] = [];
    let publisher: PubSubPublisher;

    before(async () => {
      directory = await mkdtemp(path.join(tmpdir(), 'intake-'));
      intakeFolder = path.join(directory, 'intake');
      await mkdir(intakeFolder, {recursive: true});
      publisher = new PubSubPublisher(pubsub());
      const handler = createJobIntake({
        clock: {nowMs: () => START_MS, sleepUntil: async () => {}},
        blobs: new DirectoryBlobStore(path.join(directory, 'blobs')),
        intake: new DirectoryBlobStore(intakeFolder),
        ledger: new FileLedger({
          ledgerDirectory: path.join(directory, 'ledger')}),
        publisher,
        // A recording lifecycle starter: the workflow runner is tested
        // on its own.
        lifecycle: {start: async (argument) => {
          started.push(argument);
          return {executionName: `local/${argument.jobId}`};
        }},
        logger: createMemoryLogger(),
        projectId: pubsub().projectId,
        pollSeconds: 1800,
      });
      const hosted = await host.serve('ingest-job', 'intakeIngestJob',
        handler);
      await ensureTopology(pubsub(), {'ingest-job': hosted.baseUrl});
      watcher = watchIntakeFolder({folder: intakeFolder, publisher,
        logger: createMemoryLogger(), intervalMilliseconds: 100});
    });

    after(async () => {
      watcher.close();
      await host.close();
      await rm(directory, {recursive: true, force: true});
    });

    it('starts one job for a YAML file without a jobId, even when its ' +
      'notification is delivered twice', async () => {
      const job = JSON.parse(
        await readFile('examples/jobs/fine-tune-h100.json', 'utf8'));
      delete job.jobId;
      await writeFile(path.join(intakeFolder, 'team-a.yaml'), stringify(job));
      await until(() => started.length === 1, 'the job from the upload');
      const jobId = started[0]!.jobId;
      assert.match(jobId, /^upload-[0-9a-f]{16}$/);

      // The same notification again (a redelivery): no second job.
      assert.equal(await watcher.scan(), 0);
      await publisher.publish('job-uploads', {}, {
        eventType: 'OBJECT_FINALIZE',
        bucketId: 'local-intake',
        objectId: 'team-a.yaml',
        objectGeneration: await generationOf('team-a.yaml'),
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(started.map((entry) => entry.jobId), [jobId]);
    });

    it('refuses a file that is not JSON or YAML on job-rejected', async () => {
      const waiting = waitForAuditedMessage(pubsub(), 'job-rejected',
        (message) => message.attributes.reason === 'not-a-job-file');
      await writeFile(path.join(intakeFolder, 'notes.txt'), 'hello');
      const rejected = await waiting;
      const body = rejected.body as {
        source: string;
        reasons: {field: string; problem: string}[];
      };
      assert.match(body.source, /^gs:\/\/local-intake\/notes\.txt#\d+$/);
      assert.equal(body.reasons[0]?.field, 'objectId');
      assert.match(body.reasons[0]!.problem, /\*\.json, \*\.yaml or \*\.yml/);
    });

    async function generationOf(name: string): Promise<string> {
      const {stat} = await import('node:fs/promises');
      const status = await stat(path.join(intakeFolder, name));
      return String(Math.trunc(status.mtimeMs * 1000));
    }
  });
