/**
 * The QuotaChecker over the Cloud Quotas API: lists the Vertex AI quota
 * infos of the project once per cache period, and answers from them.
 *
 * TODO(quotas): the Cloud Quotas API gives limits, not usage; the check
 * compares the job's need with the limit alone. Subtracting current use
 * needs the Cloud Monitoring quota usage metric; add it when a deployment
 * shares its GPU quota with other workloads.
 */
import type {Clock} from '../../shared/time/clock.js';
import type {
  AcceleratorQuota,
  QuotaChecker,
} from '../../shared/ports/quota-checker.js';
import {trainingQuotaMetric} from '../../shared/quotas/quota-metrics.js';

/** The slice of CloudQuotasClient this adapter calls. */
export interface QuotaInfoLister {
  listQuotaInfosAsync(request: {parent: string}): AsyncIterable<QuotaInfo>;
}

/** The fields of a QuotaInfo this adapter reads. */
export interface QuotaInfo {
  metric?: string | null;
  quotaId?: string | null;
  dimensionsInfos?: {
    dimensions?: Record<string, string> | null;
    details?: {value?: number | string | {toString(): string} | null} | null;
    applicableLocations?: string[] | null;
  }[] | null;
}

/** Options of {@link CloudQuotasChecker}. */
export interface CloudQuotasCheckerOptions {
  readonly projectId: string;
  readonly clock: Clock;
  /** How long one listing is trusted; default an hour. */
  readonly cacheMs?: number;
  /** The client; by default a CloudQuotasClient, loaded on first use. */
  readonly client?: QuotaInfoLister;
}

export class CloudQuotasChecker implements QuotaChecker {
  private listing: Promise<readonly QuotaInfo[]> | undefined;
  private listedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: CloudQuotasCheckerOptions) {}

  async acceleratorQuota(
    regionId: string,
    acceleratorType: string,
  ): Promise<AcceleratorQuota> {
    const metric = trainingQuotaMetric(acceleratorType);
    if (metric === null) {
      return {regionId, acceleratorType, limit: null,
        source: `no custom-training quota metric known for ` +
          acceleratorType};
    }
    const infos = await this.quotaInfos();
    const info = infos.find((candidate) => candidate.metric === metric);
    if (!info) {
      return {regionId, acceleratorType, limit: null,
        source: `${metric} not listed for the project`};
    }

    // A region-specific entry wins over the default for all regions.
    const entries = info.dimensionsInfos ?? [];
    const specific = entries.find((entry) =>
      entry.dimensions?.region === regionId ||
      (entry.applicableLocations ?? []).includes(regionId));
    const fallback = entries.find((entry) =>
      !entry.dimensions || Object.keys(entry.dimensions).length === 0);
    const entry = specific ?? fallback;
    const raw = entry?.details?.value;
    const limit = raw === null || raw === undefined ? null : Number(
      typeof raw === 'object' ? raw.toString() : raw);
    return {
      regionId,
      acceleratorType,
      limit: limit === null || Number.isNaN(limit) ? null : limit,
      source: `Cloud Quotas ${info.quotaId ?? metric}`,
    };
  }

  // One listing shared by concurrent callers, refreshed after cacheMs.
  private quotaInfos(): Promise<readonly QuotaInfo[]> {
    const nowMs = this.options.clock.nowMs();
    const cacheMs = this.options.cacheMs ?? 3_600_000;
    if (this.listing && nowMs - this.listedAtMs < cacheMs) {
      return this.listing;
    }
    this.listedAtMs = nowMs;
    this.listing = this.list().catch((error: unknown) => {
      this.listing = undefined;
      throw error;
    });
    return this.listing;
  }

  private async list(): Promise<readonly QuotaInfo[]> {
    const client = this.options.client ?? await defaultClient();
    const parent = `projects/${this.options.projectId}/locations/global/` +
      'services/aiplatform.googleapis.com';
    const infos: QuotaInfo[] = [];
    for await (const info of client.listQuotaInfosAsync({parent})) {
      infos.push(info);
    }
    return infos;
  }
}

async function defaultClient(): Promise<QuotaInfoLister> {
  const {CloudQuotasClient} = await import('@google-cloud/cloudquotas');
  return new CloudQuotasClient() as unknown as QuotaInfoLister;
}
