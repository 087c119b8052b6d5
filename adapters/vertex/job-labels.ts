import {createHash} from 'node:crypto';

/** Longest label value Google Cloud accepts. */
export const LABEL_VALUE_MAX_CHARACTERS = 63;

/**
 * A label value as Google Cloud accepts it: lowercase letters, digits,
 * `_` and `-`, at most 63 characters. A value that had to change keeps a
 * short hash of the original, so two ids never share a label.
 */
export function sanitizeLabelValue(value: string): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  if (cleaned === value && cleaned.length <= LABEL_VALUE_MAX_CHARACTERS) {
    return cleaned;
  }
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const room = LABEL_VALUE_MAX_CHARACTERS - hash.length - 1;
  return `${cleaned.slice(0, room)}-${hash}`;
}

/** The label keys of a product: `<product>-job-id` and `attempt`. */
export function labelKeys(productLabel: string) {
  return {
    jobId: `${productLabel}-job-id`,
    attempt: 'attempt',
    managedBy: 'managed-by',
  } as const;
}

/**
 * The labels of one segment's CustomJob: the job id, the attempt (the
 * segment index) and the product that manages it.
 */
export function segmentLabels(
  productLabel: string,
  jobId: string,
  attempt: number,
): Record<string, string> {
  const keys = labelKeys(productLabel);
  return {
    [keys.jobId]: sanitizeLabelValue(jobId),
    [keys.attempt]: String(attempt),
    [keys.managedBy]: sanitizeLabelValue(`${productLabel}-scheduler`),
  };
}

/** The list filter that finds a segment's CustomJob by its labels. */
export function segmentLabelFilter(
  productLabel: string,
  jobId: string,
  attempt: number,
): string {
  const keys = labelKeys(productLabel);
  return `labels.${keys.jobId}=${sanitizeLabelValue(jobId)} AND ` +
    `labels.${keys.attempt}=${attempt}`;
}

/** True when `labels` carry exactly this segment's job id and attempt. */
export function hasSegmentLabels(
  labels: Readonly<Record<string, string>> | null | undefined,
  productLabel: string,
  jobId: string,
  attempt: number,
): boolean {
  const keys = labelKeys(productLabel);
  return labels?.[keys.jobId] === sanitizeLabelValue(jobId) &&
    labels[keys.attempt] === String(attempt);
}
