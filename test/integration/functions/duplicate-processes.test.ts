import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {v1} from '@google-cloud/pubsub';
import {createEnvelope} from '../../../shared/messaging/envelope.js';
import {useEmulator} from '../../support/emulator.js';

const CHILD = path.resolve('test/integration/functions/step-child.ts');
const LEASE_MS = 60_000;

interface Child {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
}

describe('one effect across processes (Pub/Sub emulator)', function () {
  this.timeout(120_000);
  const {pubsub, projectId} = useEmulator('processes');
  let directory: string;
  let server: Server;
  let callbackUrl: string;
  const replies: unknown[] = [];

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        replies.push(JSON.parse(body));
        response.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    callbackUrl = `http://127.0.0.1:${port}/callbacks/launch`;
    await pubsub().createTopic('launch-requests');
    await pubsub().createTopic('dead-letters');
    await pubsub().topic('launch-requests').createSubscription('probe');
  });

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'processes-'));
    replies.length = 0;
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // The event a push delivery of one real emulator message becomes.
  async function deliveredEvent(sequence: number): Promise<string> {
    const envelope = createEnvelope({jobId: `j-${sequence}`, step: 'launch',
      sequence, sentAtMs: Date.now(), callbackUrl,
      payload: {segmentIndex: 0}});
    await pubsub().topic('launch-requests').publishMessage({
      data: Buffer.from(JSON.stringify(envelope)),
      attributes: {requestId: envelope.requestId},
    });
    const config = await pubsub().getClientConfig();
    const client = new v1.SubscriberClient(
      config as ConstructorParameters<typeof v1.SubscriberClient>[0]);
    const subscription = client.subscriptionPath(projectId(), 'probe');
    const [response] = await client.pull({subscription, maxMessages: 1});
    const received = response.receivedMessages![0]!;
    await client.acknowledge({subscription, ackIds: [received.ackId!]});
    await client.close();
    const message = received.message!;
    const file = path.join(directory, `event-${sequence}.json`);
    await writeFile(file, JSON.stringify({
      specversion: '1.0',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: `//pubsub.googleapis.com/projects/${projectId()}/topics/` +
        'launch-requests',
      id: message.messageId,
      data: {
        message: {
          data: Buffer.from(message.data as Uint8Array).toString('base64'),
          attributes: message.attributes,
          messageId: message.messageId,
        },
        subscription: `projects/${projectId()}/subscriptions/probe`,
      },
    }));
    return file;
  }

  function start(eventFile: string, options: {
    offsetMs?: number; mode?: 'effect' | 'hang'; goFile?: string;
  } = {}): Child {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        STEP_DIRECTORY: path.join(directory, 'blobs'),
        STEP_EVENT_FILE: eventFile,
        STEP_EFFECT_FILE: path.join(directory, 'effects.log'),
        STEP_CLAIMED_FILE: path.join(directory, 'claimed'),
        STEP_GO_FILE: options.goFile ?? '',
        STEP_CLOCK_OFFSET_MS: String(options.offsetMs ?? 0),
        STEP_LEASE_MS: String(LEASE_MS),
        STEP_MODE: options.mode ?? 'effect',
        STEP_PROJECT: projectId(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk) => (errors += chunk));
    const ready = new Promise<void>((resolve) =>
      child.stdout!.once('data', () => resolve()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        if (code !== 0 && code !== null) process.stderr.write(errors);
        resolve(code);
      }));
    return {process: child, ready, exited};
  }

  // Starts the children together: each waits for one go file.
  async function runTogether(
    eventFile: string,
    count: number,
    offsetMs = 0,
  ): Promise<void> {
    const goFile = path.join(directory, `go-${offsetMs}-${count}`);
    const children = Array.from({length: count},
      () => start(eventFile, {offsetMs, goFile}));
    await Promise.all(children.map((child) => child.ready));
    await writeFile(goFile, 'go');
    const codes = await Promise.all(children.map((child) => child.exited));
    assert.deepEqual(codes, children.map(() => 0));
  }

  async function effects(): Promise<string[]> {
    const file = path.join(directory, 'effects.log');
    if (!existsSync(file)) return [];
    return (await readFile(file, 'utf8')).trim().split('\n');
  }

  it('makes one effect when two processes get the same delivery at once ' +
    '(C23)', async () => {
    const eventFile = await deliveredEvent(1);
    await runTogether(eventFile, 2);
    assert.equal((await effects()).length, 1);
    assert.equal(replies.length, 1);

    // A later redelivery re-sends the stored reply and acts no more.
    await runTogether(eventFile, 1);
    assert.equal((await effects()).length, 1);
    assert.equal(replies.length, 2);
    assert.deepEqual(replies[1], replies[0]);
  });

  it('settles a request whose process was killed after claiming it, ' +
    'with one effect, once the lease has expired', async () => {
    const eventFile = await deliveredEvent(2);

    // Killed between the idempotency record and the effect.
    const doomed = start(eventFile, {mode: 'hang'});
    const claimed = path.join(directory, 'claimed');
    while (!existsSync(claimed)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    doomed.process.kill('SIGKILL');
    assert.equal(await doomed.exited, null);

    // Within the lease a redelivery leaves it alone.
    await runTogether(eventFile, 1);
    assert.deepEqual(await effects(), []);

    // After it, two redeliveries at once: one takes over, one effect.
    await runTogether(eventFile, 2, LEASE_MS + 1000);
    assert.equal((await effects()).length, 1);
    assert.equal(replies.length, 1);
    const reply = replies[0] as {outcome: string; requestId: string};
    assert.equal(reply.outcome, 'ok');
    assert.equal(reply.requestId, 'j-2:launch:2');

    // And a late duplicate only re-sends that reply.
    await runTogether(eventFile, 1, LEASE_MS + 2000);
    assert.equal((await effects()).length, 1);
    assert.deepEqual(replies[1], replies[0]);
  });
});
