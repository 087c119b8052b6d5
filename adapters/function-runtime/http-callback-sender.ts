import axios from 'axios';
import {SchedulerError} from '../../shared/errors.js';
import type {CallbackSender} from '../../shared/ports/callback-sender.js';

/**
 * POSTs replies to Workflows callback endpoints. In the cloud a bearer
 * token (`getAccessToken`) authorises the call; locally none is needed.
 */
export class HttpCallbackSender implements CallbackSender {
  constructor(
    private readonly getAccessToken?: () => Promise<string>,
    private readonly timeoutMilliseconds = 30_000,
  ) {}

  async send(callbackUrl: string, body: unknown): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.getAccessToken) {
      headers.authorization = `Bearer ${await this.getAccessToken()}`;
    }
    try {
      await axios.post(callbackUrl, body, {
        headers,
        timeout: this.timeoutMilliseconds,
      });
    } catch (error) {
      const status = axios.isAxiosError(error)
        ? error.response?.status
        : undefined;
      // 404: the execution stopped awaiting (it timed out and will retry
      // with the same requestId, which re-sends the stored reply).
      throw new SchedulerError(
        'callback-failed',
        `reply to ${callbackUrl} failed` +
          (status ? ` with HTTP ${status}` : `: ${(error as Error).message}`),
        {retryable: status !== 404, cause: error},
      );
    }
  }
}
