/** Where a provider is reached: the option, the environment, the default. */

/**
 * The base URL to call: `given`, else the environment variable, else the
 * public API. The variable lets a command point at a stand-in server.
 */
export function configuredBaseUrl(
  given: string | undefined,
  environment: Readonly<Record<string, string | undefined>> | undefined,
  variable: string,
  publicUrl: string,
): string {
  if (given !== undefined && given !== '') return given;
  const fromEnvironment = (environment ?? process.env)[variable];
  return fromEnvironment !== undefined && fromEnvironment.trim() !== ''
    ? fromEnvironment.trim()
    : publicUrl;
}
