import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Message, PubSub} from '@google-cloud/pubsub';
import {HttpCallbackSender} from
  '../../../adapters/function-runtime/http-callback-sender.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FunctionHost, type PubSubHandler} from
  '../../../adapters/local/function-host.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {LocalTrainingBackend} from
  '../../../adapters/local/local-training-backend.js';
import {LocalTrainingPort} from
  '../../../adapters/local/local-training-port.js';
import {TrackedPublisher} from '../../../adapters/local/tracked-publisher.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {
  auditSubscriptionName,
  ensureTopology,
} from '../../../adapters/pubsub/topology.js';
import {createCheckpointPause} from
  '../../../functions/checkpoint-pause/handler.js';
import {createFetchForecasts} from
  '../../../functions/fetch-forecasts/handler.js';
import {createIngestJob} from '../../../functions/ingest-job/handler.js';
import {createLaunchTraining} from
  '../../../functions/launch-training/handler.js';
import {createMonitorIntensity} from
  '../../../functions/monitor-intensity/handler.js';
import {createOptimizeSlot} from '../../../functions/optimize-slot/handler.js';
import {createRecordFootprint} from
  '../../../functions/record-footprint/handler.js';
import {
  FUNCTIONS,
  MAX_DELIVERY_ATTEMPTS,
} from '../../../functions/registry.js';
import {createResume} from '../../../functions/resume/handler.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import type {TopicName} from '../../../shared/messaging/topics.js';
import type {LifecycleArguments} from
  '../../../shared/ports/lifecycle-starter.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';
import {
  CORPUS_ENTRIES,
  CORPUS_NOW_MS,
  corpusBytes,
  type CorpusEntry,
} from '../../fixtures/malformed/corpus.js';
import {useEmulator} from '../../support/emulator.js';

/** A message read back from an audit subscription. */
interface Audited {
  readonly attributes: Record<string, string>;
  readonly body: Record<string, unknown>;
}

interface Reason {
  readonly field: string;
  readonly problem: string;
}

/**
 * Reads an audit subscription until `expected` messages have arrived and
 * nothing more comes for `quietMilliseconds`, so an extra message (a
 * duplicate rejection) would be counted too.
 */
function drainAudit(
  pubsub: PubSub,
  topic: TopicName,
  expected: number,
  quietMilliseconds = 2_000,
  timeoutMilliseconds = 60_000,
): Promise<Audited[]> {
  const subscription = pubsub.subscription(auditSubscriptionName(topic));
  const received: Audited[] = [];
  return new Promise((resolve, reject) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      clearTimeout(quietTimer);
      clearTimeout(overallTimer);
      subscription.removeAllListeners('message');
      void subscription.close().finally(() =>
        error ? reject(error) : resolve(received));
    };
    const overallTimer = setTimeout(() => finish(new Error(
      `${topic}: ${received.length} of ${expected} messages in time`)),
    timeoutMilliseconds);
    const settleIfComplete = () => {
      clearTimeout(quietTimer);
      if (received.length >= expected) {
        quietTimer = setTimeout(() => finish(), quietMilliseconds);
      }
    };
    subscription.on('message', (message: Message) => {
      message.ack();
      received.push({
        attributes: message.attributes,
        body: JSON.parse(message.data.toString('utf8')),
      });
      settleIfComplete();
    });
    subscription.on('error', (error) => finish(error));
    settleIfComplete();
  });
}

// A push of a message with empty data reaches the handler as the raw
// push body (functions-framework converts only messages with data), and
// the local function host then cannot tell which message it settled.
// Every corpus file is published, the zero-byte ones included (they
// arrive as a raw push body, which the functions still refuse by id).
const PUBLISHED = CORPUS_ENTRIES;

describe('the malformed corpus on the Pub/Sub emulator', function () {
  this.timeout(240_000);
  const {pubsub} = useEmulator('malformed');
  let directory: string;
  let clock: VirtualClock;
  let publisher: TrackedPublisher;
  let host: FunctionHost;
  let training: LocalTrainingBackend;
  const started: LifecycleArguments[] = [];

  before(async function () {
    this.timeout(120_000);
    directory = await mkdtemp(path.join(tmpdir(), 'malformed-'));
    clock = new VirtualClock(CORPUS_NOW_MS);
    const handledTopics = new Set<string>(FUNCTIONS.flatMap((f) => f.topics));
    publisher = new TrackedPublisher(pubsub(), clock, handledTopics);
    host = new FunctionHost((id) => publisher.settle(id));
    const logger = createMemoryLogger();
    const blobs = new DirectoryBlobStore(path.join(directory, 'blobs'));
    training = new LocalTrainingBackend({clock, logger});

    // The eight functions as local mode builds them; the lifecycle
    // starter records (the workflow runner has its own tests).
    const dependencies = {
      clock, blobs, publisher, logger,
      callbacks: new HttpCallbackSender(),
      catalog: loadRegionCatalog(),
      signals: new ReplayProvider({clock, forecaster: 'honest'}),
      training: new LocalTrainingPort(training,
        path.join(directory, 'training'),
        {stepsPerHour: 12, restartOverheadMs: 5 * 60_000}),
      ledger: new FileLedger({
        ledgerDirectory: path.join(directory, 'ledger')}),
      settings: {pollSeconds: 1800, checkpointOverheadMs: 120_000,
        gpuUtilisationFraction: 0.9},
    };
    const handlers: Record<string, PubSubHandler> = {
      'ingest-job': createIngestJob({
        clock, blobs, publisher, logger, ledger: dependencies.ledger,
        intake: new DirectoryBlobStore(path.join(directory, 'intake')),
        lifecycle: {
          start: async (argument) => {
            started.push(argument);
            return {executionName: `local/${argument.jobId}`};
          },
        },
        projectId: pubsub().projectId,
        pollSeconds: 1800,
      }),
      'fetch-forecasts': createFetchForecasts(dependencies),
      'optimize-slot': createOptimizeSlot(dependencies),
      'launch-training': createLaunchTraining(dependencies),
      'monitor-intensity': createMonitorIntensity(dependencies),
      'checkpoint-pause': createCheckpointPause(dependencies),
      resume: createResume(dependencies),
      'record-footprint': createRecordFootprint(dependencies),
    };
    const baseUrls: Record<string, string> = {};
    for (const definition of FUNCTIONS) {
      const hosted = await host.serve(definition.name, definition.entryPoint,
        handlers[definition.name]!);
      baseUrls[definition.name] = hosted.baseUrl;
    }
    await ensureTopology(pubsub(), baseUrls);
  });

  after(async () => {
    await host?.close();
    await training?.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('gives every push subscription a dead-letter topic and a limit (C25)',
    async () => {
      for (const definition of FUNCTIONS) {
        for (const topic of definition.topics) {
          const [metadata] = await pubsub()
            .subscription(`${topic}--${definition.name}`).getMetadata();
          assert.match(metadata.deadLetterPolicy?.deadLetterTopic ?? '',
            /\/topics\/dead-letters$/);
          assert.equal(metadata.deadLetterPolicy?.maxDeliveryAttempts,
            MAX_DELIVERY_ATTEMPTS);
          assert.ok(metadata.retryPolicy?.minimumBackoff);
        }
      }
    });

  it('counts requests in as rejected plus accepted, each reason named',
    async () => {
      // Step 1: publish every malformed file as its raw bytes, and three
      // valid requests (one without a jobId, which gets a derived one).
      const byMessageId = new Map<string, CorpusEntry>();
      for (const entry of PUBLISHED) {
        const messageId = await publisher.publishEncoded(entry.topic,
          corpusBytes(entry).toString('base64'), {corpusFile: entry.file});
        byMessageId.set(messageId, entry);
      }
      const example = await readFile('examples/jobs/fine-tune-h100.json');
      const withoutJobId = {...JSON.parse(example.toString('utf8'))};
      delete withoutJobId.jobId;
      const valid = [
        example,
        await readFile('examples/jobs/eu-only.yaml'),
        Buffer.from(JSON.stringify(withoutJobId)),
      ];
      for (const bytes of valid) {
        await publisher.publishEncoded('job-requests',
          bytes.toString('base64'), {corpusFile: 'valid'});
      }
      const requestsIn = PUBLISHED.length + valid.length;

      // Step 2: let every function settle its messages, then read what
      // the audit subscriptions and the lifecycle starter hold.
      await clock.run(() => publisher.inFlightCount() === 0);
      const jobRequestEntries = PUBLISHED.filter(
        (entry) => entry.topic === 'job-requests');
      const [rejected, deadLetters, events] = await Promise.all([
        drainAudit(pubsub(), 'job-rejected', jobRequestEntries.length),
        drainAudit(pubsub(), 'dead-letters',
          PUBLISHED.length - jobRequestEntries.length),
        drainAudit(pubsub(), 'job-events', valid.length),
      ]);
      const accepted = events.filter((event) =>
        event.body.event === 'accepted');

      // Step 3: none lost, none counted twice.
      assert.equal(accepted.length, valid.length);
      assert.equal(started.length, valid.length);
      assert.equal(rejected.length + deadLetters.length + accepted.length,
        requestsIn);

      // Step 4: each rejection is the one expected, with a clear reason.
      const seen = new Set<string>();
      for (const letter of [...rejected, ...deadLetters]) {
        const sourceMessageId = letter.attributes.sourceMessageId ?? '';
        const entry = byMessageId.get(sourceMessageId);
        assert.ok(entry, `a rejection for an unknown message ` +
          `${sourceMessageId}`);
        assert.ok(!seen.has(sourceMessageId), `${entry.file} twice`);
        seen.add(sourceMessageId);
        const reasons = (letter.body.reasons ?? []) as Reason[];
        if (entry.code) {
          assert.equal(letter.body.code, entry.code, entry.file);
          assert.match(String(letter.body.message), /not valid JSON/);
          continue;
        }
        const named = reasons.find((reason) => reason.field === entry.field);
        assert.ok(named, `${entry.file}: no reason names ${entry.field}; ` +
          `got ${JSON.stringify(reasons)}`);
        assert.ok(named.problem.length >= 12, `${entry.file}: terse reason`);
        if (entry.mentions) {
          assert.ok(named.problem.includes(entry.mentions),
            `${entry.file}: "${named.problem}" lacks "${entry.mentions}"`);
        }
      }
      assert.equal(seen.size, PUBLISHED.length);
    });
});
