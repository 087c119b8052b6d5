/**
 * Checks, before a Google client is made, that application default
 * credentials exist, so a missing one is told as what to do rather than
 * raised from inside the client's background calls.
 */
import {CommandFailure} from './command-failure.js';
import {isCredentialsError} from './failure-report.js';

/** No application default credentials were found. */
export class CredentialsMissingError extends CommandFailure {
  constructor(cause: unknown) {
    super('credentials-missing', 'GOOGLE_APPLICATION_CREDENTIALS: no ' +
      'Google credentials found; set GOOGLE_APPLICATION_CREDENTIALS to a ' +
      'key file or run `gcloud auth application-default login` (for the ' +
      'local emulator, set PUBSUB_EMULATOR_HOST instead)',
    {field: 'GOOGLE_APPLICATION_CREDENTIALS', kind: 'input', cause});
  }
}

/**
 * Resolves when credentials are found.
 *
 * @throws CredentialsMissingError when none are
 */
export async function requireGoogleCredentials(): Promise<void> {
  const {GoogleAuth} = await import('google-auth-library');
  try {
    await new GoogleAuth({
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    }).getClient();
  } catch (error) {
    if (isCredentialsError(error)) throw new CredentialsMissingError(error);
    throw error;
  }
}
