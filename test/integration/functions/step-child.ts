/**
 * One function instance in its own process, for the duplicate-delivery
 * tests: runs the step handler once over a shared blob directory, with a
 * real Pub/Sub publisher and HTTP callbacks. Its effect appends this
 * process's id to a file, so a second effect would show.
 *
 * Environment: STEP_DIRECTORY, STEP_EVENT_FILE, STEP_EFFECT_FILE,
 * STEP_GO_FILE (wait for it before handling), STEP_CLOCK_OFFSET_MS,
 * STEP_LEASE_MS, STEP_MODE (`effect`, or `hang` to stop for ever right
 * after the record is claimed, writing STEP_CLAIMED_FILE), STEP_PROJECT.
 */
import {existsSync} from 'node:fs';
import {appendFile, readFile, writeFile} from 'node:fs/promises';
import {PubSub} from '@google-cloud/pubsub';
import {HttpCallbackSender} from
  '../../../adapters/function-runtime/http-callback-sender.js';
import {createStepHandler} from
  '../../../adapters/function-runtime/step-handler.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {PubSubPublisher} from '../../../adapters/pubsub/pubsub-publisher.js';
import {createJsonLogger} from '../../../shared/ports/logger.js';

const environment = process.env;
const offsetMs = Number(environment.STEP_CLOCK_OFFSET_MS ?? 0);
const pubsub = new PubSub({projectId: environment.STEP_PROJECT});
const handler = createStepHandler('launch-training', {
  clock: {
    nowMs: () => Date.now() + offsetMs,
    sleepUntil: async () => {},
  },
  blobs: new DirectoryBlobStore(environment.STEP_DIRECTORY!),
  publisher: new PubSubPublisher(pubsub),
  callbacks: new HttpCallbackSender(),
  logger: createJsonLogger(`step-child-${process.pid}`,
    (line) => process.stderr.write(line)),
  leaseMilliseconds: Number(environment.STEP_LEASE_MS),
}, async () => {
  if (environment.STEP_MODE === 'hang') {
    await writeFile(environment.STEP_CLAIMED_FILE!, String(process.pid));
    // Held open until the test kills the process.
    setInterval(() => {}, 1000);
    await new Promise(() => {});
  }
  // Slow enough that a concurrent duplicate arrives while it runs.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await appendFile(environment.STEP_EFFECT_FILE!, `${process.pid}\n`);
  return {kind: 'reply', result: {launchedBy: process.pid}};
});

const event = JSON.parse(await readFile(environment.STEP_EVENT_FILE!, 'utf8'));
process.stdout.write('ready\n');
while (environment.STEP_GO_FILE && !existsSync(environment.STEP_GO_FILE)) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await handler(event);
await pubsub.close();
