import type {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import type {WorkflowConnectors} from
  '../../../adapters/local/workflow-runner/held-execution.js';
import type {PublishedMessage} from
  '../../../adapters/local/workflow-runner/standard-library.js';

/** One message the workflow published, as the fake received it. */
export interface ReceivedMessage {
  readonly topicName: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The decoded envelope. */
  readonly envelope: Record<string, unknown> & {
    readonly requestId: string;
    readonly step: string;
    readonly attempt: number;
    readonly sequence: number;
  };
  /** Virtual time of the publish. */
  readonly atMs: number;
}

/**
 * What the fake does with one message: the bodies it POSTs to the
 * envelope's callbackUrl, in order (none: the reply is lost).
 */
export type Responder = (
  message: ReceivedMessage,
  history: readonly ReceivedMessage[],
) => readonly unknown[];

/**
 * A test double for the function side (the real functions run behind the
 * Pub/Sub emulator): it answers each published message by POSTing to its
 * callbackUrl, holding the virtual clock until its POSTs are answered, as
 * a real function holds it while it works.
 */
export class FakeFunctionSide {
  readonly received: ReceivedMessage[] = [];
  private nextMessageId = 1;

  constructor(
    private readonly clock: VirtualClock,
    private readonly responder: Responder,
  ) {}

  /** The connectors to hand to runWorkflow. */
  readonly connectors: WorkflowConnectors = {
    publish: async (topicPath, messages) => {
      const ids = messages.map((message) => this.accept(topicPath, message));
      return {messageIds: ids};
    },
  };

  // Records a message and answers it in the background, clock held.
  private accept(topicPath: string, message: PublishedMessage): string {
    const envelope = JSON.parse(
      Buffer.from(message.data, 'base64').toString('utf8'),
    ) as ReceivedMessage['envelope'];
    const received: ReceivedMessage = {
      topicName: topicPath.split('/').at(-1) ?? '',
      attributes: message.attributes,
      envelope,
      atMs: this.clock.nowMs(),
    };
    this.received.push(received);
    const bodies = this.responder(received, this.received);
    const release = this.clock.hold(`fake function ${envelope.requestId}`);
    void this.post(String(envelope['callbackUrl']), bodies).finally(release);
    return String(this.nextMessageId++);
  }

  private async post(url: string, bodies: readonly unknown[]): Promise<void> {
    for (const body of bodies) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(body),
      });
      await response.text();
    }
  }
}
