import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {existsSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Message, Subscription} from '@google-cloud/pubsub';
import {findFreePort} from '../../../adapters/local/free-port.js';
import {FUNCTIONS} from '../../../functions/registry.js';
import {
  assembleDeployable,
  type FunctionDeployable,
} from '../../../scripts/function-deployable.js';
import {useEmulator} from '../../support/emulator.js';

const REFUSAL_TOPICS = ['dead-letters', 'job-rejected'] as const;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FRAMEWORK_MAIN = path.join(ROOT, 'node_modules', '@google-cloud',
  'functions-framework', 'build', 'src', 'main.js');

/** Serves one entry point of the deployable and sends it one push. */
async function pushToDeployed(
  directory: string,
  entryPoint: string,
  topic: string,
  environment: NodeJS.ProcessEnv,
  projectId: string,
): Promise<{status: number; output: string}> {
  const port = await findFreePort('127.0.0.1', 0);
  const child = spawn(process.execPath, [FRAMEWORK_MAIN,
    `--target=${entryPoint}`, '--signature-type=cloudevent',
    `--source=${directory}`, `--port=${port}`],
  {env: environment, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()));
  const body = JSON.stringify({
    message: {
      // Truncated JSON: every function refuses it and says so.
      data: Buffer.from('{"jobId": "deployed", "step": ').toString('base64'),
      attributes: {}, messageId: `deployed-${entryPoint}`,
    },
    subscription: `projects/${projectId}/subscriptions/${topic}-push`,
  });
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) {
        throw new Error(`${entryPoint} exited before serving:\n${output}`);
      }
      try {
        const response = await fetch(
          `http://127.0.0.1:${port}/projects/${projectId}/topics/${topic}`,
          {method: 'POST', body,
            headers: {'content-type': 'application/json'}});
        await response.arrayBuffer();
        return {status: response.status, output};
      } catch (error) {
        if (tries > 3000) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

describe('the deployable function source', function () {
  this.timeout(180_000);
  const emulator = useEmulator('deployable');
  // Inside the repository, so its external packages resolve from
  // node_modules as the runtime's install would provide them.
  const directory = path.join(ROOT, '.local',
    `deployable-test-${randomUUID().slice(0, 8)}`);
  let deployable: FunctionDeployable;
  const refusals: string[] = [];
  const subscriptions: Subscription[] = [];

  before(async () => {
    deployable = await assembleDeployable(directory);
    // Every refusal published, from either topic, as text.
    for (const topic of REFUSAL_TOPICS) {
      const [created] = await emulator.pubsub().createTopic(topic);
      const [subscription] = await created.createSubscription(
        `${topic}-refusals`);
      subscription.on('message', (message: Message) => {
        message.ack();
        refusals.push(JSON.stringify(message.attributes) +
          message.data.toString());
      });
      subscriptions.push(subscription);
    }
  });
  after(async () => {
    await Promise.all(subscriptions.map((subscription) =>
      subscription.close()));
    await rm(directory, {recursive: true, force: true});
  });

  it('has a main that exists, and lists only the packages it imports',
    async () => {
      const manifest = JSON.parse(await readFile(
        path.join(directory, 'package.json'), 'utf8')) as {
        main: string; dependencies: Record<string, string>;
      };
      assert.ok(existsSync(path.join(directory, manifest.main)),
        `main ${manifest.main} is missing`);
      assert.deepEqual(Object.keys(manifest.dependencies).sort(),
        [...deployable.externalPackages]);
      assert.ok(manifest.dependencies['@google-cloud/functions-framework']);
      for (const local of ['@tensorflow/tfjs', '@duckdb/node-api', 'tsx',
        'zod']) {
        assert.equal(manifest.dependencies[local], undefined, local);
      }
      // The replay traces stay in the repository.
      assert.ok(!existsSync(path.join(directory, 'data', 'traces')));
      assert.ok(existsSync(path.join(directory, 'data', 'regions')));
    });

  for (const definition of FUNCTIONS) {
    it(`serves ${definition.entryPoint} from main and acknowledges a ` +
      'malformed message after publishing its refusal', async () => {
      const {status, output} = await pushToDeployed(directory,
        definition.entryPoint, definition.topics[0]!, {
          ...process.env,
          NODE_ENV: 'production',
          PUBSUB_EMULATOR_HOST: emulator.address(),
          METADATA_SERVER_DETECTION: 'none',
          GOOGLE_CLOUD_PROJECT: emulator.projectId(),
          STATE_BUCKET: 'deployable-state',
          INTAKE_BUCKET: 'deployable-intake',
          TRAINING_SERVICE_ACCOUNT: 'trainer@deployable.iam.gserviceaccount.com',
          CHECKPOINT_BUCKET_PREFIX: 'deployable-checkpoints',
        }, emulator.projectId());
      assert.equal(status, 204, output);
      assert.match(output, /"severity":"(ERROR|WARNING|NOTICE)"/);
      const messageId = `deployed-${definition.entryPoint}`;
      const deadlineMs = Date.now() + 20_000;
      while (!refusals.some((text) => text.includes(messageId))) {
        if (Date.now() > deadlineMs) {
          assert.fail(`no refusal of ${messageId} on ` +
            `${REFUSAL_TOPICS.join(' or ')}; the function said:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
  }
});
