import type {protos} from '@google-cloud/aiplatform';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

/**
 * The value of the product's environment variable `<PRODUCT>_<suffix>`
 * in a CustomJob's containers (the first pool that sets it), as
 * custom-job-request.ts writes them; undefined when none does.
 */
export function environmentOf(job: CustomJob, productLabel: string,
  suffix: string): string | undefined {
  const prefix = productLabel.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const wanted = `${prefix}_${suffix}`;
  for (const pool of job.jobSpec?.workerPoolSpecs ?? []) {
    const found = pool.containerSpec?.env
      ?.find((variable) => variable.name === wanted);
    if (found?.value) return found.value;
  }
  return undefined;
}
