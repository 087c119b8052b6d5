/**
 * How many accelerators of a type the project may use for custom training
 * in a region. The Cloud Quotas API in the cloud; a file locally.
 */
/** One region's limit for one accelerator type. */
export interface AcceleratorQuota {
  readonly regionId: string;
  /** A Vertex AI accelerator enum name, e.g. NVIDIA_H100_80GB. */
  readonly acceleratorType: string;
  /** Accelerators allowed at once; null when the limit is unknown. */
  readonly limit: number | null;
  /** Where the limit came from, e.g. the quota metric name. */
  readonly source: string;
}

/** The port the planner's capacity filter asks. */
export interface QuotaChecker {
  acceleratorQuota(
    regionId: string,
    acceleratorType: string,
  ): Promise<AcceleratorQuota>;
}
