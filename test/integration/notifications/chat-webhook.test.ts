import assert from 'node:assert/strict';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {FunctionHost} from '../../../adapters/local/function-host.js';
import {TrackedPublisher} from '../../../adapters/local/tracked-publisher.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {ensureTopology, pushPath} from '../../../adapters/pubsub/topology.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {
  chatText,
  createChatNotifier,
} from '../../../examples/notifications/chat-webhook-notifier.js';
import {useEmulator} from '../../support/emulator.js';

const AT_MS = Date.parse('2022-06-14T06:00:00Z');

/** A loopback HTTP server standing in for the chat webhook. */
async function startWebhook(): Promise<{
  server: Server;
  url: string;
  posts: {path: string; body: {text: string}}[];
  failNext: (count: number) => void;
}> {
  const posts: {path: string; body: {text: string}}[] = [];
  let failures = 0;
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk) => { text += chunk; });
    request.on('end', () => {
      if (failures > 0) {
        failures--;
        response.writeHead(503).end();
        return;
      }
      posts.push({path: request.url ?? '', body: JSON.parse(text)});
      response.writeHead(200, {'Content-Type': 'application/json'})
        .end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {server, posts, url: `http://127.0.0.1:${port}/v1/spaces/x/messages`,
    failNext: (count) => { failures = count; }};
}

describe('the chat notification example on the Pub/Sub emulator', function () {
  this.timeout(60_000);
  const {pubsub, projectId} = useEmulator('notify');
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let host: FunctionHost;
  let publisher: TrackedPublisher;
  let clock: VirtualClock;

  before(async () => {
    webhook = await startWebhook();
    clock = new VirtualClock(AT_MS);
    publisher = new TrackedPublisher(pubsub(), clock, new Set(['job-events']));
    host = new FunctionHost((id) => publisher.settle(id));
    const hosted = await host.serve('notify-chat', 'notifyChat',
      createChatNotifier({webhookUrl: webhook.url,
        logger: createMemoryLogger(), events: ['accepted', 'failed',
          'command-accepted']}));
    await ensureTopology(pubsub(), {});
    await pubsub().topic('job-events').createSubscription(
      'job-events--notify-chat', {
        pushConfig: {pushEndpoint:
          hosted.baseUrl + pushPath(projectId(), 'job-events')},
        retryPolicy: {minimumBackoff: {seconds: 1},
          maximumBackoff: {seconds: 2}},
      });
  });

  after(async () => {
    await host.close();
    await new Promise((resolve) => webhook.server.close(resolve));
  });

  it('posts a job event to the webhook as one line of text', async () => {
    await publisher.publish('job-events', {jobId: 'fine-tune-llama-demo',
      event: 'accepted', atMs: AT_MS}, {jobId: 'fine-tune-llama-demo'});
    await clock.run(() => publisher.inFlightCount() === 0);
    const post = webhook.posts.find((p) =>
      p.body.text.startsWith('[fine-tune-llama-demo] accepted'));
    assert.ok(post, JSON.stringify(webhook.posts));
    assert.equal(post.path, '/v1/spaces/x/messages');
    assert.equal(post.body.text,
      '[fine-tune-llama-demo] accepted at 2022-06-14T06:00:00.000Z');
  });

  it('sends it again after the webhook was briefly down', async () => {
    webhook.failNext(1);
    await publisher.publish('job-events', {jobId: 'job-b',
      event: 'command-accepted', type: 'command-accepted', atMs: AT_MS,
      command: 'cancel', commandId: 'c-1',
      requestedBy: {identity: 'ops@example.com'}});
    await clock.run(() => publisher.inFlightCount() === 0);
    const texts = webhook.posts.map((p) => p.body.text)
      .filter((text) => text.startsWith('[job-b]'));
    assert.deepEqual(texts, ['[job-b] command-accepted at ' +
      '2022-06-14T06:00:00.000Z: cancel; command c-1; by ops@example.com']);
  });

  it('leaves out events it was not asked to send', async () => {
    await publisher.publish('job-events', {jobId: 'job-c',
      event: 'command-rejected', atMs: AT_MS});
    await publisher.publish('job-events', {jobId: 'job-c',
      event: 'accepted', atMs: AT_MS});
    await clock.run(() => publisher.inFlightCount() === 0);
    const texts = webhook.posts.map((p) => p.body.text)
      .filter((text) => text.startsWith('[job-c]'));
    assert.deepEqual(texts.map((t) => t.split(' ')[1]), ['accepted']);
  });

  it('words a failure event with its reason', () => {
    assert.equal(chatText({jobId: 'job-d', step: 'failed',
      sentAt: '2022-06-14T07:00:00Z',
      payload: {reason: 'training failed, out of memory'}}),
    '[job-d] failed at 2022-06-14T07:00:00Z: training failed, out of memory');
  });
});
