/** Sends a step's reply to the workflow execution that awaits it. */
export interface CallbackSender {
  send(callbackUrl: string, body: unknown): Promise<void>;
}
