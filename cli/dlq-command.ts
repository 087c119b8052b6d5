import type {Command} from 'commander';
import {CommandFailure} from './command-failure.js';
import {requireGoogleCredentials} from './google-credentials.js';
import {pubsubFailure} from './pubsub-failure.js';
import type {DeadLetter, ReplayResult} from
  '../adapters/cloud/dead-letter-inbox.js';

interface DlqOptions {
  project?: string;
  subscription?: string;
  json?: boolean;
  id?: string[];
  all?: boolean;
}

/** Adds `dlq list` and `dlq replay` to the program. */
export function registerDlqCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const dlq = program
    .command('dlq')
    .description(
      'Inspect and replay messages on the dead-letter topic, on Pub/Sub or ' +
        'on the emulator named by PUBSUB_EMULATOR_HOST. Nothing is lost: ' +
        'list hands every message back, replay acknowledges a message only ' +
        'after it was re-published to its original topic.',
    );
  const common = (command: Command) => command
    .option('--project <id>', 'Google Cloud project (default: ' +
      'GOOGLE_CLOUD_PROJECT)')
    .option('--subscription <name>', 'pull subscription on dead-letters',
      'dead-letters--audit')
    .option('--json', 'print one JSON object instead of text', false);

  common(dlq.command('list'))
    .description('List dead letters: original topic, attempts, error, id.')
    .action(async (raw: DlqOptions) => {
      await run(raw, setExitCode, async (pubsub, subscription) => {
        const {listDeadLetters} = await import(
          '../adapters/cloud/dead-letter-inbox.js');
        const letters = await listDeadLetters(pubsub, {subscription});
        write(raw.json ? JSON.stringify({deadLetters: letters}, null, 2) :
          formatList(letters));
        return 0;
      });
    });

  common(dlq.command('replay'))
    .description('Re-publish dead letters to their original topics, then ' +
      'acknowledge them.')
    .option('--id <messageId...>', 'dead letters to replay, by message id')
    .option('--all', 'replay every dead letter', false)
    .action(async (raw: DlqOptions) => {
      if (!raw.all && !(raw.id && raw.id.length > 0)) {
        throw new CommandFailure('invalid-option', '--id or --all: say ' +
          'which dead letters to replay (see `carbon-scheduler dlq list`)',
        {field: '--id'});
      }
      await run(raw, setExitCode, async (pubsub, subscription) => {
        const {replayDeadLetters} = await import(
          '../adapters/cloud/dead-letter-inbox.js');
        const result = await replayDeadLetters(pubsub,
          {ids: raw.id, all: raw.all}, {subscription});
        write(raw.json ? JSON.stringify(result, null, 2) :
          formatReplay(result));
        return result.kept.length > 0 ? 1 : 0;
      });
    });
}

async function run(
  raw: DlqOptions,
  setExitCode: (code: number) => void,
  body: (pubsub: import('@google-cloud/pubsub').PubSub,
    subscription: string) => Promise<number>,
): Promise<void> {
  const project = raw.project ?? process.env.GOOGLE_CLOUD_PROJECT;
  if (!project) {
    throw new CommandFailure('invalid-option', '--project: no project ' +
      'given; pass --project <id> or set GOOGLE_CLOUD_PROJECT');
  }
  const emulator = Boolean(process.env.PUBSUB_EMULATOR_HOST);
  if (emulator) {
    process.env.METADATA_SERVER_DETECTION ??= 'none';
  } else {
    await requireGoogleCredentials();
  }
  const {PubSub} = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({projectId: project});
  try {
    setExitCode(await body(pubsub, String(raw.subscription)));
  } catch (error) {
    throw pubsubFailure(error, {subscription: String(raw.subscription),
      projectId: project, emulator});
  } finally {
    // A close that fails after the pull failed says nothing new.
    await pubsub.close().catch(() => {});
  }
}

function write(text: string): void {
  process.stdout.write(text + '\n');
}

function formatList(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return 'No dead letters.';
  const lines = [`${letters.length} dead letter(s):`];
  for (const letter of letters) {
    lines.push(
      `- ${letter.messageId}  from ${letter.originalTopic ?? '(unknown)'}` +
        `  attempts ${letter.attempts ?? '?'}  (${letter.kind})`,
      `    error: ${letter.error ?? 'kept failing; no reason recorded'}`,
    );
  }
  return lines.join('\n');
}

function formatReplay(result: ReplayResult): string {
  const lines = [`Replayed ${result.replayed.length} message(s).`];
  for (const entry of result.replayed) {
    lines.push(`- ${entry.messageId} -> ${entry.topic} as ` +
      entry.newMessageId);
  }
  for (const entry of result.kept) {
    lines.push(`- kept ${entry.messageId}: ${entry.reason}`);
  }
  return lines.join('\n');
}
