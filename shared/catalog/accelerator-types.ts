/**
 * Vertex AI accelerator names, how the shipped zone extract's names map
 * onto them, and which of them the scheduler can plan for.
 *
 * {@link https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec#acceleratortype}
 */
import {KNOWN_ACCELERATORS} from '../footprint/accelerators.js';
import {CatalogDataError} from './catalog-errors.js';

/** The Vertex AI `AcceleratorType` enum names the catalog can report. */
export const VERTEX_ACCELERATOR_TYPES = [
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_T4',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_L4',
  'NVIDIA_H100_80GB',
  'TPU_V2',
  'TPU_V3',
  'TPU_V4_POD',
  'TPU_V5_LITEPOD',
] as const;
export type VertexAcceleratorType = (typeof VERTEX_ACCELERATOR_TYPES)[number];

/** True when `name` is one of the enum names above. */
export function isVertexAcceleratorType(
  name: string,
): name is VertexAcceleratorType {
  return (VERTEX_ACCELERATOR_TYPES as readonly string[]).includes(name);
}

// Extract names, as written in gcp_accelerator_zones_extract.csv.
const EXTRACT_NAME_TO_VERTEX: Readonly<
  Record<string, VertexAcceleratorType>
> = {
  'NVIDIA P4': 'NVIDIA_TESLA_P4',
  'NVIDIA T4': 'NVIDIA_TESLA_T4',
  'NVIDIA A100 40GB': 'NVIDIA_TESLA_A100',
  'NVIDIA A100 80GB': 'NVIDIA_A100_80GB',
  'NVIDIA L4': 'NVIDIA_L4',
  'NVIDIA H100 80GB': 'NVIDIA_H100_80GB',
  'TPU v2': 'TPU_V2',
  'TPU v3': 'TPU_V3',
  'TPU v4': 'TPU_V4_POD',
  'TPU v5e': 'TPU_V5_LITEPOD',
};

/**
 * The Vertex AI enum name of an accelerator as the extract names it.
 *
 * @param extractName - e.g. `NVIDIA H100 80GB`, `TPU v5e`
 * @returns the enum name, or null when Vertex AI's v1 enum has none (TPU
 *   v5p and v6e have no `AcceleratorType` value)
 */
export function vertexAcceleratorTypeFor(
  extractName: string,
): VertexAcceleratorType | null {
  return EXTRACT_NAME_TO_VERTEX[extractName.trim()] ?? null;
}

/**
 * The accelerator types a job may ask for, and `regions --accelerator`
 * accepts: those the shipped data describes end to end, i.e. named in
 * the zone extract (so some region offers them) and priced by the GPU
 * power table (so a plan and a footprint can be computed). One list for
 * the job schema and the CLI; test/unit/catalog checks it against the
 * regions loaded from the extract.
 */
export const ACCELERATOR_TYPES: readonly [
  VertexAcceleratorType,
  ...VertexAcceleratorType[],
] = plannableAcceleratorTypes();

/** True when a job may ask for `name` (one of {@link ACCELERATOR_TYPES}). */
export function isPlannableAcceleratorType(
  name: string,
): name is VertexAcceleratorType {
  return (ACCELERATOR_TYPES as readonly string[]).includes(name);
}

// Extract names that map to a Vertex AI type with a power coefficient,
// in the order of the Vertex AI enum.
function plannableAcceleratorTypes(): [
  VertexAcceleratorType,
  ...VertexAcceleratorType[],
] {
  const named = new Set(Object.values(EXTRACT_NAME_TO_VERTEX));
  const types = VERTEX_ACCELERATOR_TYPES.filter((type) =>
    named.has(type) && KNOWN_ACCELERATORS[type] !== undefined);
  const [first, ...rest] = types;
  if (first === undefined) {
    throw new CatalogDataError('data/hardware/mlco2_impact_gpus.csv',
      'no accelerator type of the zone extract has a power coefficient');
  }
  return [first, ...rest];
}
