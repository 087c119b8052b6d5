import assert from 'node:assert/strict';
import {Command} from 'commander';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  listDeadLetters,
  replayDeadLetters,
  type DeadLetter,
} from '../../../adapters/cloud/dead-letter-inbox.js';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {PubSubPublisher} from '../../../adapters/pubsub/pubsub-publisher.js';
import {
  decodePubSubEvent,
  type MessagePublishedData,
} from '../../../adapters/function-runtime/pubsub-event.js';
import {createStepHandler} from
  '../../../adapters/function-runtime/step-handler.js';
import {ensureTopology} from '../../../adapters/pubsub/topology.js';
import {registerDlqCommand} from '../../../cli/dlq-command.js';
import {MAX_DELIVERY_ATTEMPTS} from '../../../functions/registry.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {systemClock} from '../../../shared/time/clock.js';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {useEmulator} from '../../support/emulator.js';

async function waitForLetters(
  list: () => Promise<DeadLetter[]>,
  count: number,
  timeoutMilliseconds = 60_000,
): Promise<DeadLetter[]> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const letters = await list();
    if (letters.length >= count) return letters;
    if (Date.now() > deadline) {
      throw new Error(`${letters.length} of ${count} dead letters in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// Runs `dlq ...` in this process and returns what it printed.
async function runDlq(
  argv: string[],
): Promise<{exitCode: number; output: string}> {
  let exitCode = 0;
  const program = new Command().exitOverride();
  registerDlqCommand(program, (code) => {
    exitCode = code;
  });
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'carbon-scheduler', 'dlq', ...argv]);
  } finally {
    process.stdout.write = original;
  }
  return {exitCode, output: chunks.join('')};
}

describe('dead letters on the Pub/Sub emulator', function () {
  this.timeout(120_000);
  const {pubsub, projectId} = useEmulator('dlq');
  const host = new FunctionHost(() => {});
  let fixed = false;
  const handled: string[] = [];
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'dlq-'));
    // A poison consumer on plan-requests: it fails every delivery until
    // the fix, then handles the message.
    const poisoned = await host.serve('fetch-forecasts', 'dlqPoisonPlan',
      async (event: CloudEvent<MessagePublishedData>) => {
        if (!fixed) throw new Error('plan service is down');
        handled.push(decodePubSubEvent(event).text);
      });
    // A real step handler on launch-requests, which refuses bad JSON.
    const launch = await host.serve('launch-training', 'dlqLaunch',
      createStepHandler('launch-training', {
        clock: systemClock,
        blobs: new DirectoryBlobStore(directory),
        publisher: new PubSubPublisher(pubsub()),
        callbacks: {send: async () => {}},
        logger: createMemoryLogger(),
      }, async () => ({kind: 'reply', result: {}})));
    await ensureTopology(pubsub(), {
      'fetch-forecasts': poisoned.baseUrl,
      'launch-training': launch.baseUrl,
    });
  });

  after(async () => {
    await host.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('gives every push subscription a dead-letter topic, retry policy ' +
    'and a delivery limit', async () => {
    const [subscriptions] = await pubsub().getSubscriptions();
    const push = [];
    for (const subscription of subscriptions) {
      const [metadata] = await subscription.getMetadata();
      if (!metadata.pushConfig?.pushEndpoint) continue;
      push.push(subscription.name);
      assert.match(String(metadata.deadLetterPolicy?.deadLetterTopic),
        /\/topics\/dead-letters$/, subscription.name);
      assert.equal(metadata.deadLetterPolicy?.maxDeliveryAttempts,
        MAX_DELIVERY_ATTEMPTS, subscription.name);
      assert.ok(metadata.retryPolicy?.minimumBackoff, subscription.name);
      assert.ok(metadata.retryPolicy?.maximumBackoff, subscription.name);
    }
    // plan-requests, intensity-polls and launch-requests
    assert.equal(push.length, 3);
  });

  it('keeps a poison message after the last attempt, lists it without ' +
    'consuming it, and replays it after the fix', async () => {
    const body = JSON.stringify({poison: 'plan-1'});
    const originalId = await pubsub().topic('plan-requests')
      .publishMessage({data: Buffer.from(body), attributes: {jobId: 'j-1'}});

    const letters = await waitForLetters(() => listDeadLetters(pubsub()), 1);
    assert.equal(letters.length, 1);
    const letter = letters[0]!;
    assert.equal(letter.kind, 'policy');
    assert.equal(letter.originalTopic, 'plan-requests');
    assert.equal(letter.attempts, MAX_DELIVERY_ATTEMPTS);
    assert.equal(letter.original.text, body);
    assert.equal(letter.original.attributes.jobId, 'j-1');
    assert.notEqual(letter.messageId, '');
    assert.equal(handled.length, 0);

    // Listed again through the command: still there.
    const listed = await runDlq(['list', '--json', '--project', projectId()]);
    assert.equal(listed.exitCode, 0);
    const shown = JSON.parse(listed.output).deadLetters as DeadLetter[];
    assert.deepEqual(shown.map((entry) => entry.messageId),
      [letter.messageId]);

    // The fix, then the replay: handled once, and the inbox is empty.
    fixed = true;
    const replayed = await runDlq(['replay', '--id', letter.messageId,
      '--json', '--project', projectId()]);
    assert.equal(replayed.exitCode, 0, replayed.output);
    const result = JSON.parse(replayed.output);
    assert.equal(result.replayed[0].topic, 'plan-requests');
    const deadline = Date.now() + 30_000;
    while (handled.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(handled, [body]);
    assert.deepEqual(await listDeadLetters(pubsub()), []);
    assert.notEqual(originalId, result.replayed[0].newMessageId);
  });

  it('keeps a refused message with its reason and original topic', async () => {
    await pubsub().topic('launch-requests')
      .publishMessage({data: Buffer.from('{"jobId": trunc')});
    const letters = await waitForLetters(() => listDeadLetters(pubsub()), 1);
    const letter = letters[0]!;
    assert.equal(letter.kind, 'function');
    assert.equal(letter.originalTopic, 'launch-requests');
    assert.match(String(letter.error), /^invalid-json: /);
    assert.equal(letter.original.text, '{"jobId": trunc');

    // Replaying an unknown id changes nothing and says so.
    const missing = await replayDeadLetters(pubsub(), {ids: ['no-such']});
    assert.deepEqual(missing.replayed, []);
    assert.equal(missing.kept[0]?.reason, 'no dead letter has this id');
    assert.equal((await listDeadLetters(pubsub())).length, 1);
  });
});
