/**
 * The Vertex AI custom-training quota metric of each accelerator type
 * (`aiplatform.googleapis.com/custom_model_training_<type>`), as the
 * RESOURCE_EXHAUSTED errors and the Cloud Quotas API name them.
 */
const METRIC_SUFFIX: Readonly<Record<string, string>> = {
  NVIDIA_TESLA_P4: 'nvidia_p4_gpus',
  NVIDIA_TESLA_T4: 'nvidia_t4_gpus',
  NVIDIA_TESLA_A100: 'nvidia_a100_gpus',
  NVIDIA_A100_80GB: 'nvidia_a100_80gb_gpus',
  NVIDIA_L4: 'nvidia_l4_gpus',
  NVIDIA_H100_80GB: 'nvidia_h100_gpus',
  NVIDIA_H100_MEGA_80GB: 'nvidia_h100_mega_gpus',
  NVIDIA_H200_141GB: 'nvidia_h200_gpus',
  TPU_V2: 'tpu_v2',
  TPU_V3: 'tpu_v3',
  TPU_V4_POD: 'tpu_v4',
  TPU_V5_LITEPOD: 'tpu_v5e',
};

/**
 * The quota metric that limits `acceleratorType` in custom training, or
 * null for a type this table does not know.
 */
export function trainingQuotaMetric(acceleratorType: string): string | null {
  const suffix = METRIC_SUFFIX[acceleratorType];
  return suffix === undefined ? null :
    `aiplatform.googleapis.com/custom_model_training_${suffix}`;
}
