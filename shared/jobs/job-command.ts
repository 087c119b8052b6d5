import {z} from 'zod';
import {
  describeIssues,
  type ValidationIssue,
} from '../schemas/validation-issues.js';

/**
 * The `job-commands` contract: an operator's instruction for one job.
 * Commands travel on their own topic, so the IAM binding that lets a
 * principal publish job requests is the same kind that lets it steer
 * jobs. `commandId` is chosen by the client and is the idempotency key:
 * the same command delivered twice is recorded and applied once.
 *
 * Who asked: Pub/Sub does not tell a subscriber who published a message
 * (a push subscription's OIDC token names the subscription's service
 * account, not the publisher). The publisher therefore declares itself
 * in the `requestedBy` attribute (the CLI fills it from
 * `gcloud config get account`, or the local user name), and the handler
 * records that value together with where it was found.
 */

/** The version of the command message this build sends and accepts. */
export const JOB_COMMAND_SCHEMA_VERSION = 1;

/** What an operator can ask of a job. */
export const JOB_COMMAND_NAMES = [
  'cancel',
  'run-now',
  'extend',
  'pause',
  'resume',
] as const;
export type JobCommandName = (typeof JOB_COMMAND_NAMES)[number];

/** Pub/Sub attribute names a command message carries. */
export const JOB_COMMAND_ATTRIBUTES = {
  jobId: 'jobId',
  commandId: 'commandId',
  command: 'command',
  /** The identity the publisher declares (an account or user name). */
  requestedBy: 'requestedBy',
  /** How the publisher found that identity, e.g. `gcloud-account`. */
  requestedByOrigin: 'requestedByOrigin',
} as const;

const identifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'must start with a lowercase letter and hold only lowercase letters, ' +
      'digits and hyphens, at most 63 characters',
  );

/** The message data on `job-commands`. */
export const jobCommandMessageSchema = z
  .object({
    schemaVersion: z
      .literal(JOB_COMMAND_SCHEMA_VERSION)
      .describe('Version of this message shape'),
    commandId: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/,
        'must be 1 to 128 letters, digits, "-" or "_", starting with a ' +
          'letter or digit (a UUID fits)',
      )
      .describe('Chosen by the client; the idempotency key of the command'),
    jobId: identifier.describe('The job the command is for'),
    command: z.enum(JOB_COMMAND_NAMES).describe('What to do'),
    deadline: z.iso
      .datetime({offset: true})
      .optional()
      .describe('The new deadline (extend only), RFC 3339 with an offset'),
    requestedBy: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('Who asked, as the publisher declares it'),
    sentAt: z.iso
      .datetime({offset: true})
      .optional()
      .describe('When the client sent the command'),
  })
  .strict()
  .superRefine((message, context) => {
    if (message.command === 'extend' && message.deadline === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: 'is required for extend: give the new deadline as RFC ' +
          '3339 with an offset, e.g. 2022-06-18T00:00:00Z',
      });
    }
    if (message.command !== 'extend' && message.deadline !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: `is only allowed with extend, not ${message.command}; ` +
          'remove it',
      });
    }
  })
  .describe('An operator command for one job');

/** A valid command message. */
export type JobCommandMessage = z.infer<typeof jobCommandMessageSchema>;

/** The outcome of reading a command message. */
export type ParsedJobCommand =
  | {readonly ok: true; readonly command: JobCommandMessage}
  | {readonly ok: false; readonly issues: ValidationIssue[]};

/** Validates a decoded command message, naming every bad field. */
export function parseJobCommand(value: unknown): ParsedJobCommand {
  const parsed = jobCommandMessageSchema.safeParse(value);
  return parsed.success
    ? {ok: true, command: parsed.data}
    : {ok: false, issues: describeIssues(parsed.error)};
}

/** Where the recorded identity of the requester was found. */
export type RequestedBySource = 'message-attribute' | 'message-body';

/** Who asked for a command, as far as the message tells. */
export interface RequestedBy {
  /** The declared identity; null when the message named nobody. */
  readonly identity: string | null;
  /** Where it was read; null when nowhere. */
  readonly source: RequestedBySource | null;
  /** How the publisher found it (`requestedByOrigin`), when it said. */
  readonly origin: string | null;
  /**
   * Always false: Pub/Sub does not authenticate publishers to
   * subscribers, so the identity is what the publisher declared. Who may
   * publish at all is decided by the topic's IAM policy.
   */
  readonly verified: false;
}

/**
 * Who asked, from the message: the `requestedBy` attribute first (what
 * the CLI sets), then the body's field.
 */
export function requestedByOf(
  command: JobCommandMessage,
  attributes: Readonly<Record<string, string>>,
): RequestedBy {
  const origin = attributes[JOB_COMMAND_ATTRIBUTES.requestedByOrigin] ?? null;
  const fromAttribute = attributes[JOB_COMMAND_ATTRIBUTES.requestedBy];
  if (fromAttribute) {
    return {identity: fromAttribute, source: 'message-attribute', origin,
      verified: false};
  }
  if (command.requestedBy) {
    return {identity: command.requestedBy, source: 'message-body', origin,
      verified: false};
  }
  return {identity: null, source: null, origin, verified: false};
}

/** The attributes a command is published with; all strings. */
export function jobCommandAttributes(
  command: JobCommandMessage,
  requestedByOrigin?: string,
): Record<string, string> {
  return {
    [JOB_COMMAND_ATTRIBUTES.jobId]: command.jobId,
    [JOB_COMMAND_ATTRIBUTES.commandId]: command.commandId,
    [JOB_COMMAND_ATTRIBUTES.command]: command.command,
    ...(command.requestedBy
      ? {[JOB_COMMAND_ATTRIBUTES.requestedBy]: command.requestedBy}
      : {}),
    ...(requestedByOrigin
      ? {[JOB_COMMAND_ATTRIBUTES.requestedByOrigin]: requestedByOrigin}
      : {}),
  };
}
