/**
 * Where provider credentials come from: an injected function that returns
 * a secret's text, or the environment. The Secret Manager reader loads
 * its client only when first asked, so nothing pays for it otherwise.
 */
import {ProviderConfigurationError} from './http/provider-http-errors.js';

/** Returns the text of the named secret. */
export type SecretReader = (secretName: string) => Promise<string>;

/** Options of {@link createSecretManagerReader}. */
export interface SecretManagerReaderOptions {
  /** The project holding the secrets. */
  readonly projectId: string;
  /** Defaults to `latest`. */
  readonly version?: string;
}

/**
 * A reader over Google Secret Manager. A short name becomes
 * `projects/{projectId}/secrets/{name}/versions/{version}`; a full
 * resource name is used as given.
 */
export function createSecretManagerReader(
  options: SecretManagerReaderOptions,
): SecretReader {
  let clientPromise: Promise<{
    accessSecretVersion(request: {name: string}): Promise<
      [{payload?: {data?: Uint8Array | string | null} | null}, ...unknown[]]
    >;
  }> | undefined;

  return async (secretName) => {
    clientPromise ??= import('@google-cloud/secret-manager').then(
      ({SecretManagerServiceClient}) => new SecretManagerServiceClient());
    const client = await clientPromise;
    const name = secretName.startsWith('projects/')
      ? secretName
      : `projects/${options.projectId}/secrets/${secretName}/versions/` +
        (options.version ?? 'latest');
    const [version] = await client.accessSecretVersion({name});
    const data = version.payload?.data;
    if (data === undefined || data === null) {
      throw new ProviderConfigurationError('secret-manager',
        `secret version ${name} has no payload; add a version with the ` +
        'credential as its text');
    }
    return typeof data === 'string' ? data : Buffer.from(data).toString();
  };
}

/** Where one credential is read. */
export interface CredentialSource {
  /** The value itself, for tests and the CLI. */
  readonly value?: string;
  /** With `secretName`, read through this reader. */
  readonly secretReader?: SecretReader;
  readonly secretName?: string;
  /** The environment variable tried last, e.g. `ELECTRICITY_MAPS_TOKEN`. */
  readonly environmentVariable: string;
  /** Defaults to `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * The credential: the given value, else the secret, else the environment.
 *
 * @throws ProviderConfigurationError saying where it was looked for
 */
export async function readCredential(
  provider: string,
  source: CredentialSource,
): Promise<string> {
  if (source.value !== undefined && source.value !== '') return source.value;
  if (source.secretReader && source.secretName) {
    const secret = (await source.secretReader(source.secretName)).trim();
    if (secret !== '') return secret;
  }
  const fromEnvironment =
    (source.environment ?? process.env)[source.environmentVariable];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return fromEnvironment.trim();
  }
  throw new ProviderConfigurationError(provider,
    `no credential: set ${source.environmentVariable}` +
    (source.secretName
      ? ` or store it in secret "${source.secretName}"`
      : ' or pass a secret reader with a secret name'));
}
