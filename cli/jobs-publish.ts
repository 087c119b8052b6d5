import {spawnSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {hostname, userInfo} from 'node:os';
import {PubSub} from '@google-cloud/pubsub';
import {createEmulatorPubSub} from '../adapters/local/emulator-pubsub.js';
import {PubSubPublisher} from '../adapters/pubsub/pubsub-publisher.js';
import {
  JOB_COMMAND_SCHEMA_VERSION,
  jobCommandAttributes,
  parseJobCommand,
  type JobCommandMessage,
  type JobCommandName,
} from '../shared/jobs/job-command.js';
import {SchedulerError} from '../shared/errors.js';
import {formatIssues} from '../shared/schemas/validation-issues.js';
import {requireGoogleCredentials} from './google-credentials.js';
import {pubsubFailure} from './pubsub-failure.js';

/** Who the CLI says is asking, and how it found out. */
export interface Requester {
  readonly identity: string;
  /** `option`, `gcloud-account` or `local-user`. */
  readonly origin: string;
}

/** What `jobs <command> ID` publishes. */
export interface CommandToPublish {
  readonly jobId: string;
  readonly command: JobCommandName;
  readonly deadline?: string;
  readonly commandId?: string;
  /** The Google Cloud project whose `job-commands` topic is used. */
  readonly projectId: string;
  readonly requester: Requester;
  /** An emulator (host:port); else real Pub/Sub. */
  readonly emulatorAddress?: string;
}

/** What was published. */
export interface PublishedCommand {
  readonly commandId: string;
  readonly messageId: string;
  readonly jobId: string;
  readonly command: JobCommandName;
  readonly requestedBy: string;
  readonly requestedByOrigin: string;
  readonly topic: string;
}

/** Raised when the command message would be invalid. */
export class InvalidJobCommandError extends SchedulerError {
  constructor(message: string) {
    super('invalid-job-command', message);
  }
}

/**
 * Who is asking: the --requested-by value, else the active gcloud
 * account (real Pub/Sub only), else the local user at this host.
 */
export function findRequester(
  given: string | undefined,
  useGcloud: boolean,
): Requester {
  if (given) return {identity: given, origin: 'option'};
  if (useGcloud) {
    const result = spawnSync('gcloud', ['config', 'get', 'account'], {
      encoding: 'utf8', timeout: 10_000,
    });
    const account = result.status === 0 ? result.stdout.trim() : '';
    if (account) return {identity: account, origin: 'gcloud-account'};
  }
  return {identity: `${userInfo().username}@${hostname()}`,
    origin: 'local-user'};
}

/** A checked command, ready to publish. */
export type PreparedCommand = JobCommandMessage;

/**
 * Builds and checks the command message, before anything is contacted.
 *
 * @throws InvalidJobCommandError naming the field (e.g. `deadline`)
 */
export function prepareJobCommand(
  input: Omit<CommandToPublish, 'projectId' | 'emulatorAddress'>,
): PreparedCommand {
  const message: JobCommandMessage = {
    schemaVersion: JOB_COMMAND_SCHEMA_VERSION,
    commandId: input.commandId ?? randomUUID(),
    jobId: input.jobId,
    command: input.command,
    ...(input.deadline !== undefined ? {deadline: input.deadline} : {}),
    requestedBy: input.requester.identity,
    sentAt: new Date().toISOString(),
  };
  const parsed = parseJobCommand(message);
  if (!parsed.ok) {
    throw new InvalidJobCommandError(formatIssues(parsed.issues));
  }
  return parsed.command;
}

/** Validates and publishes one command; resolves with its ids. */
export async function publishJobCommand(
  input: CommandToPublish,
  prepared: PreparedCommand = prepareJobCommand(input),
): Promise<PublishedCommand> {
  if (!input.emulatorAddress) await requireGoogleCredentials();
  const pubsub = input.emulatorAddress
    ? createEmulatorPubSub(input.emulatorAddress, input.projectId)
    : new PubSub({projectId: input.projectId});
  try {
    const messageId = await new PubSubPublisher(pubsub).publish(
      'job-commands', prepared,
      jobCommandAttributes(prepared, input.requester.origin));
    return {
      commandId: prepared.commandId,
      messageId,
      jobId: prepared.jobId,
      command: prepared.command,
      requestedBy: input.requester.identity,
      requestedByOrigin: input.requester.origin,
      topic: `projects/${input.projectId}/topics/job-commands`,
    };
  } catch (error) {
    throw pubsubFailure(error, {topic: 'job-commands',
      projectId: input.projectId, emulator: Boolean(input.emulatorAddress)});
  } finally {
    // A close that fails after the publish failed says nothing new.
    await pubsub.close().catch(() => {});
  }
}
