/**
 * The base of the product's typed errors. `retryable` maps directly to the
 * Pub/Sub decision: a retryable failure throws so the message is
 * redelivered; a permanent one is acknowledged and published to the
 * rejection or dead-letter topic with its reason.
 */
export class SchedulerError extends Error {
  readonly retryable: boolean;
  readonly code: string;

  constructor(
    code: string,
    message: string,
    options: {retryable?: boolean; cause?: unknown} = {},
  ) {
    super(message, {cause: options.cause});
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
