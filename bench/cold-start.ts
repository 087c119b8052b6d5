/**
 * Cold start of the eight functions as deployed (the bundle that
 * `npm run package:functions` assembles, on functions-framework), as a
 * ratio to a floor measured in the same run.
 *
 * For each function: the time from spawning `functions-framework
 * --target=<entry point>` over the deployable (its main registers all
 * eight) to the answer to its first event, a Pub/Sub push on one of its
 * topics carrying a message it refuses (so it loads its handler, builds
 * the ports it builds on a first event, validates, and publishes the
 * refusal to the emulator over gRPC). The floor is the same server over
 * a module that loads only functions-framework and @google-cloud/pubsub
 * and handles a no-op event. Medians over the repetitions, run
 * interleaved.
 *
 * Run: npm run bench:cold -- [--json] [--repetitions N]
 * Output: `floor` {coldStartMs, cpuMs, ...}, `functions` [{name,
 * coldStartMs, ratioToFloor, cpuMs, cpuRatioToFloor, answeredStatus,
 * ...}], `targetRatioToFloor` (1.5), `ratioBasis`, the load average when
 * the run began, and whether every function is within the target on
 * each basis.
 *
 * `ratioToFloor` is wall time, the issue's measure (what a caller waits
 * for, I/O to the emulator included). `cpuRatioToFloor` is the CPU the
 * process used (user + system, from /proc, 10 ms ticks): it leaves out
 * time spent waiting for a core, so it is the steadier figure on a busy
 * machine, but it also leaves out waiting on the emulator's answer.
 */
import {loadavg} from 'node:os';
import {spawn} from 'node:child_process';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {createEmulatorPubSub} from '../adapters/local/emulator-pubsub.js';
import {findFreePort} from '../adapters/local/free-port.js';
import {startPubSubEmulator} from '../adapters/local/pubsub-emulator.js';
import {FUNCTIONS} from '../functions/registry.js';
import {assembleDeployable} from '../scripts/function-deployable.js';

const TARGET_RATIO = 1.5;
const PROJECT = 'cold-start-bench';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Inside the repository, so the deployable's external packages resolve
// from its node_modules as they do from the runtime's.
const DEPLOYABLE = path.join(ROOT, '.local', 'cold-start', 'deployable');
const FRAMEWORK_MAIN = path.join(ROOT, 'node_modules', '@google-cloud',
  'functions-framework', 'build', 'src', 'main.js');

interface Target {
  readonly name: string;
  readonly entryPoint: string;
  readonly source: string;
  readonly topic: string;
  readonly text: string;
}

// Step 1: the deployable, as `npm run package:functions` assembles it
// (one bundle, chunks per function, the shipped data), and the floor.
async function compile(): Promise<void> {
  await assembleDeployable(DEPLOYABLE);
  await writeFile(path.join(DEPLOYABLE, 'floor.js'),
    "import {cloudEvent} from '@google-cloud/functions-framework';\n" +
    "import '@google-cloud/pubsub';\n" +
    "cloudEvent('floor', async () => {});\n");
}

// Step 2: one cold start, from spawn to the first answer.
async function coldStart(
  target: Target,
  environment: NodeJS.ProcessEnv,
): Promise<{milliseconds: number; cpuMs: number | null; status: number}> {
  const port = await findFreePort('127.0.0.1', 0);
  const startMs = performance.now();
  const child = spawn(process.execPath, [FRAMEWORK_MAIN,
    `--target=${target.entryPoint}`, '--signature-type=cloudevent',
    `--source=${target.source}`, `--port=${port}`],
  {env: environment, stdio: 'ignore'});
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()));
  try {
    const status = await sendFirstEvent(port, target, () =>
      child.exitCode !== null);
    const milliseconds = performance.now() - startMs;
    return {milliseconds, cpuMs: await cpuMillisecondsOf(child.pid), status};
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function sendFirstEvent(
  port: number,
  target: Target,
  hasExited: () => boolean,
): Promise<number> {
  const body = JSON.stringify({
    message: {
      data: Buffer.from(target.text).toString('base64'),
      attributes: {},
      messageId: `bench-${Date.now()}`,
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/${PROJECT}/subscriptions/${target.topic}--bench`,
  });
  const url = `http://127.0.0.1:${port}/projects/${PROJECT}/topics/` +
    target.topic;
  for (;;) {
    if (hasExited()) throw new Error(`${target.name} exited before serving`);
    try {
      const response = await fetch(url, {method: 'POST', body,
        headers: {'content-type': 'application/json'}});
      await response.arrayBuffer();
      return response.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

// CPU the child used so far (Linux /proc), steadier than wall time on a
// busy machine; null where /proc is absent.
async function cpuMillisecondsOf(pid: number | undefined): Promise<
  number | null
> {
  if (pid === undefined) return null;
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15, in clock ticks (100 per second)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

// Median and range of one target's samples, rounded to milliseconds.
function summary(values: readonly number[]): {
  median: number; min: number; max: number;
} {
  return {
    median: median(values),
    min: Math.round(Math.min(...values)),
    max: Math.round(Math.max(...values)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! :
    (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const at = process.argv.indexOf('--repetitions');
  const repetitions = at > 0 ? Number(process.argv[at + 1]) : 5;
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new Error('--repetitions must be a whole number of at least 1, ' +
      `got "${process.argv[at + 1]}"; pass e.g. --repetitions 5`);
  }
  const loadAverageAtStart = loadavg().map((value) =>
    Number(value.toFixed(2)));

  await compile();

  // The emulator the refusals are published to.
  let stopEmulator = async () => {};
  let address = process.env.PUBSUB_EMULATOR_HOST;
  if (!address) {
    const emulator = await startPubSubEmulator();
    address = emulator.address;
    stopEmulator = () => emulator.stop();
  }
  const pubsub = createEmulatorPubSub(address, PROJECT);
  for (const topic of ['dead-letters', 'job-rejected']) {
    const [exists] = await pubsub.topic(topic).exists();
    if (!exists) await pubsub.createTopic(topic);
  }
  await pubsub.close();
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PUBSUB_EMULATOR_HOST: address,
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: PROJECT,
    STATE_BUCKET: 'cold-start-bench-state',
    INTAKE_BUCKET: 'cold-start-bench-intake',
    TRAINING_SERVICE_ACCOUNT: `trainer@${PROJECT}.iam.gserviceaccount.com`,
    CHECKPOINT_BUCKET_PREFIX: 'cold-start-bench-checkpoints',
  };

  const floor: Target = {name: 'floor', entryPoint: 'floor',
    source: path.join(DEPLOYABLE, 'floor.js'), topic: 'floor', text: '{}'};
  const targets: Target[] = FUNCTIONS.map((definition) => ({
    name: definition.name,
    entryPoint: definition.entryPoint,
    // The deployable's main, which registers all eight entry points.
    source: DEPLOYABLE,
    topic: definition.topics[0]!,
    // A truncated message: a refusal every function must publish.
    text: '{"jobId": "bench", "step": ',
  }));

  // Step 3: interleaved repetitions, after one warm-up of the disk cache.
  const samples = new Map<string, number[]>();
  const cpuSamples = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  try {
    for (const target of [floor, ...targets]) {
      await coldStart(target, environment);
    }
    for (let repetition = 0; repetition < repetitions; repetition++) {
      for (const target of [floor, ...targets]) {
        const {milliseconds, cpuMs, status} =
          await coldStart(target, environment);
        samples.set(target.name,
          [...(samples.get(target.name) ?? []), milliseconds]);
        if (cpuMs !== null) {
          cpuSamples.set(target.name,
            [...(cpuSamples.get(target.name) ?? []), cpuMs]);
        }
        statuses.set(target.name, status);
      }
    }
  } finally {
    await stopEmulator();
  }

  const floorWall = summary(samples.get('floor')!);
  const floorCpu = cpuSamples.get('floor');
  const floorCpuMs = floorCpu ? median(floorCpu) : null;
  const functions = targets.map((target) => {
    const wall = summary(samples.get(target.name)!);
    const cpu = cpuSamples.get(target.name);
    const cpuMs = cpu ? median(cpu) : null;
    return {
      name: target.name,
      coldStartMs: Math.round(wall.median),
      coldStartMinMs: wall.min,
      coldStartMaxMs: wall.max,
      ratioToFloor: Number((wall.median / floorWall.median).toFixed(2)),
      cpuMs,
      cpuRatioToFloor: cpuMs !== null && floorCpuMs ?
        Number((cpuMs / floorCpuMs).toFixed(2)) : null,
      answeredStatus: statuses.get(target.name),
    };
  });
  const result = {
    repetitions,
    loadAverageAtStart,
    ratioBasis: 'ratioToFloor: median wall time, spawn to the answer of ' +
      'the first event; cpuRatioToFloor: median CPU (user + system) of ' +
      'the process over the same span',
    floor: {
      coldStartMs: Math.round(floorWall.median),
      coldStartMinMs: floorWall.min,
      coldStartMaxMs: floorWall.max,
      cpuMs: floorCpuMs,
    },
    targetRatioToFloor: TARGET_RATIO,
    allWithinTarget: functions.every((f) => f.ratioToFloor <= TARGET_RATIO),
    allWithinTargetByCpu: functions.every((f) =>
      f.cpuRatioToFloor !== null && f.cpuRatioToFloor <= TARGET_RATIO),
    functions,
  };
  // A function that did not acknowledge its refusal measured a failure.
  const unanswered = functions.filter((entry) =>
    entry.answeredStatus === undefined || entry.answeredStatus >= 300);
  if (unanswered.length > 0) {
    process.exitCode = 1;
    process.stderr.write(`not acknowledged: ${unanswered.map((entry) =>
      `${entry.name} (HTTP ${entry.answeredStatus})`).join(', ')}; run ` +
      'it with functions-framework to see its error\n');
  }
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  process.stdout.write(`floor ${result.floor.coldStartMs} ms ` +
    `cpu ${result.floor.cpuMs ?? '?'} ms (median of ${repetitions}, ` +
    `load ${loadAverageAtStart.join(' ')})\n`);
  for (const entry of functions) {
    process.stdout.write(`${entry.name.padEnd(18)} ` +
      `${String(entry.coldStartMs).padStart(6)} ms  ` +
      `${entry.ratioToFloor.toFixed(2)}x  cpu ${entry.cpuMs ?? '?'} ms ` +
      `${entry.cpuRatioToFloor ?? '?'}x  HTTP ${entry.answeredStatus}\n`);
  }
}

await main();
