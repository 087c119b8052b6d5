/**
 * Which file names hold a job request: the intake bucket accepts only
 * JSON and YAML files, and `carbon-scheduler validate` applies the same
 * rule, so a file it calls valid is one an upload would accept.
 */

/** File name endings of a job request: JSON or YAML. */
export const JOB_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** Whether `name` (an object id or a path) names a JSON or YAML file. */
export function isJobFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return JOB_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** Why `name` is refused as a job file, or null when it is one. */
export function jobFileNameProblem(name: string): string | null {
  if (isJobFileName(name)) return null;
  return `"${name}" is not a job file: the intake accepts only files ` +
    'named *.json, *.yaml or *.yml; rename it to one of those';
}
