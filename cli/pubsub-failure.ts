/**
 * A Pub/Sub failure of a CLI command, told with the topic or
 * subscription and the project: a missing one means "deploy first".
 */
import {CommandFailure} from './command-failure.js';

// gRPC status codes the Pub/Sub client raises.
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

/** Where the command talked to. */
export interface PubSubTarget {
  readonly topic?: string;
  readonly subscription?: string;
  readonly projectId: string;
  readonly emulator: boolean;
}

/**
 * The failure to throw for `error`; errors that are not Pub/Sub's
 * (CommandFailure, credentials, programming faults) come back as given.
 */
export function pubsubFailure(error: unknown, target: PubSubTarget):
  unknown {
  if (error instanceof CommandFailure) return error;
  const code = (error as {code?: unknown} | null)?.code;
  const what = target.topic !== undefined ? `topic ${target.topic}` :
    `subscription ${target.subscription}`;
  const where = `project ${target.projectId}` +
    (target.emulator ? ' on the emulator at PUBSUB_EMULATOR_HOST' : '');
  if (code === NOT_FOUND) {
    return new CommandFailure('pubsub-not-found', `--project: ${what} ` +
      `does not exist in ${where}: deploy first (terraform/), or run the ` +
      'demo\'s local topology (`npm run demo`) with the same project',
    {field: '--project', kind: 'failed', cause: error});
  }
  if (code === PERMISSION_DENIED) {
    return new CommandFailure('pubsub-permission-denied', `--project: no ` +
      `permission on ${what} in ${where}; use an account allowed to ` +
      'publish and pull there (gcloud auth application-default login)',
    {field: '--project', kind: 'failed', cause: error});
  }
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) {
    return new CommandFailure('pubsub-unavailable', target.emulator
      ? `PUBSUB_EMULATOR_HOST: no emulator answers at ` +
        `${process.env.PUBSUB_EMULATOR_HOST}; start one or unset the ` +
        'variable to use Google Cloud'
      : `Pub/Sub did not answer for ${where}; check the network and ` +
        'try again',
    {field: target.emulator ? 'PUBSUB_EMULATOR_HOST' : null,
      kind: 'failed', cause: error});
  }
  return error;
}
