import type {protos} from '@google-cloud/aiplatform';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

/**
 * The four JobServiceClient methods the adapter calls, with the shapes
 * the generated client resolves to (a tuple whose first element is the
 * answer). Tests put a stand-in object here.
 */
export interface JobServiceClientLike {
  createCustomJob(request: {
    parent: string;
    customJob: CustomJob;
  }): Promise<readonly [CustomJob, ...unknown[]]>;
  getCustomJob(request: {
    name: string;
  }): Promise<readonly [CustomJob, ...unknown[]]>;
  /**
   * Without `autoPaginate: false` the client follows every page itself;
   * with it, one page comes back and the third element carries
   * `nextPageToken`.
   */
  listCustomJobs(
    request: {
      parent: string;
      filter: string;
      pageSize?: number;
      pageToken?: string;
    },
    options?: {autoPaginate?: boolean},
  ): Promise<readonly [
    CustomJob[],
    unknown?,
    {nextPageToken?: string | null}?,
    ...unknown[],
  ]>;
  cancelCustomJob(request: {name: string}): Promise<unknown>;
}

/** The Vertex AI API endpoint of a region. */
export function regionalEndpoint(regionId: string): string {
  return `${regionId}-aiplatform.googleapis.com`;
}

/**
 * A JobServiceClient on the region's endpoint. The package is imported
 * on first use: it takes over a second to load.
 */
export async function createRegionalJobClient(
  regionId: string,
): Promise<JobServiceClientLike> {
  const {v1} = await import('@google-cloud/aiplatform');
  const client = new v1.JobServiceClient({
    apiEndpoint: regionalEndpoint(regionId),
  });
  return client as unknown as JobServiceClientLike;
}
