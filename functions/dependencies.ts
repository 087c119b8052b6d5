import type {StepRuntime} from '../adapters/function-runtime/step-handler.js';
import type {RegionCatalog} from '../shared/catalog/region-catalog.js';
import type {CarbonSignalProvider} from '../shared/signals/carbon-signal-provider.js';
import type {LedgerWriter} from '../shared/ports/ledger-writer.js';
import type {QuotaChecker} from '../shared/ports/quota-checker.js';
import type {TrainingBackend} from '../shared/ports/training-backend.js';

/** Tunables of the scheduler, the same in the cloud and locally. */
export interface SchedulerSettings {
  /** Seconds between monitor polls of a running job. */
  readonly pollSeconds: number;
  /** Time to write a checkpoint before a pause. */
  readonly checkpointOverheadMs: number;
  /** Share of GPU power drawn while training (stated in every result). */
  readonly gpuUtilisationFraction: number;
  /** Regions this deployment may train in; absent: every region. */
  readonly trainingRegionIds?: readonly string[];
  /** Residency this deployment allows (`any`, `EU`, ...); absent: any. */
  readonly deploymentResidency?: readonly string[];
  /**
   * Preemptions a SPOT job's plan reserves deadline slack for; absent:
   * DEFAULT_EXPECTED_SPOT_PREEMPTIONS (shared/jobs/spot-preemption.ts).
   */
  readonly expectedSpotPreemptions?: number;
  /**
   * Most preemptions a SPOT job resumes from; the next one fails it.
   * Absent: DEFAULT_MAX_SPOT_PREEMPTIONS.
   */
  readonly maxSpotPreemptions?: number;
}

/** Everything the lifecycle functions need, as ports. */
export interface SchedulerDependencies extends StepRuntime {
  readonly catalog: RegionCatalog;
  readonly signals: CarbonSignalProvider;
  readonly training: TrainingBackend;
  readonly ledger: LedgerWriter;
  readonly settings: SchedulerSettings;
  /**
   * The project's accelerator quota per region, which optimize-slot
   * checks before choosing a region; absent: quota is not checked.
   */
  readonly quotas?: QuotaChecker;
}
