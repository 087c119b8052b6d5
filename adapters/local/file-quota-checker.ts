/**
 * The QuotaChecker for local runs: limits from a JSON file, e.g.
 * `{"us-east4": {"NVIDIA_H100_80GB": 0}, "*": {"NVIDIA_H100_80GB": 8}}`,
 * where `*` is the limit of every region not named. An accelerator the
 * file does not mention has an unknown limit.
 */
import {readFileSync} from 'node:fs';

import {z} from 'zod';

import {SchedulerError} from '../../shared/errors.js';
import type {
  AcceleratorQuota,
  QuotaChecker,
} from '../../shared/ports/quota-checker.js';

const quotaFileSchema = z.record(
  z.string(),
  z.record(z.string().regex(/^[A-Z][A-Z0-9_]+$/,
    'must be a Vertex AI accelerator name such as NVIDIA_H100_80GB'),
  z.number().int().nonnegative()),
);

export class FileQuotaChecker implements QuotaChecker {
  private readonly limits: z.infer<typeof quotaFileSchema>;

  /** @throws SchedulerError QUOTA_FILE_INVALID naming the bad entry */
  constructor(private readonly file: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SchedulerError('QUOTA_FILE_INVALID',
        `quota file ${file}: ${(error as Error).message}; give a JSON ` +
          'object of region -> {acceleratorType: limit}');
    }
    const result = quotaFileSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new SchedulerError('QUOTA_FILE_INVALID',
        `quota file ${file}: ${issue.path.join('.') || '(top)'}: ` +
          `${issue.message}; each value is a whole number of accelerators ` +
          'and each key a Vertex AI accelerator name');
    }
    this.limits = result.data;
  }

  async acceleratorQuota(
    regionId: string,
    acceleratorType: string,
  ): Promise<AcceleratorQuota> {
    const own = this.limits[regionId]?.[acceleratorType];
    const fallback = this.limits['*']?.[acceleratorType];
    const limit = own ?? fallback;
    return {
      regionId,
      acceleratorType,
      limit: limit ?? null,
      source: limit === undefined
        ? `${this.file} names no limit`
        : `${this.file}${own === undefined ? ' (*)' : ''}`,
    };
  }
}
