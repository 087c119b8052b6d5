import type {
  CheckpointMoveRequest,
  TrainingBackend,
  TrainingSegmentRequest,
  TrainingSegmentStatus,
} from '../../shared/ports/training-backend.js';
import {segmentDisplayName} from '../vertex/custom-job-request.js';

/** What the training port answers before its client is loaded. */
export interface LazyTrainingOptions {
  readonly stepsPerHour: number;
  readonly restartOverheadMs: number;
  /** Label prefix of segment names, as the Vertex adapter uses. */
  readonly productLabel?: string;
}

/**
 * A training backend that can list its labelled jobs and move a
 * checkpoint to another region, as the Vertex AI adapter does.
 */
export type ListingTrainingBackend = TrainingBackend &
  Required<Pick<TrainingBackend, 'listLabelled' | 'moveCheckpoint'>>;

/**
 * The training port with its Vertex AI client loaded on the first call
 * that talks to Vertex (launch, describe, pause, cancel, listLabelled,
 * moveCheckpoint),
 * so a function that only reads the step rate, or an event refused
 * before training is touched, never pays for the client. A failed load
 * is tried again on the next call.
 */
export function lazyTrainingBackend(
  load: () => Promise<ListingTrainingBackend>,
  options: LazyTrainingOptions,
): ListingTrainingBackend {
  let loaded: Promise<ListingTrainingBackend> | undefined;
  const backend = async (): Promise<ListingTrainingBackend> => {
    loaded ??= load();
    try {
      return await loaded;
    } catch (error) {
      loaded = undefined;
      throw error;
    }
  };
  const productLabel = options.productLabel ?? 'carbon';
  return {
    stepsPerHour: options.stepsPerHour,
    restartOverheadMs: options.restartOverheadMs,
    segmentName: (jobId, segmentIndex) =>
      segmentDisplayName(productLabel, jobId, segmentIndex),
    launch: async (request: TrainingSegmentRequest) =>
      (await backend()).launch(request),
    describe: async (name: string): Promise<TrainingSegmentStatus> =>
      (await backend()).describe(name),
    pause: async (name: string) => (await backend()).pause(name),
    cancel: async (name: string) => (await backend()).cancel(name),
    listLabelled: async () => (await backend()).listLabelled(),
    moveCheckpoint: async (request: CheckpointMoveRequest) =>
      (await backend()).moveCheckpoint(request),
  };
}
