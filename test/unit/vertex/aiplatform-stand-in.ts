import type {protos} from '@google-cloud/aiplatform';
import type {JobServiceClientLike} from '../../../adapters/vertex/job-service-client.js';
import type {Clock} from '../../../shared/time/clock.js';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

/** A clock that jumps to each requested instant, running due events. */
export class SteppingClock implements Clock {
  private readonly events: {atMs: number; run: () => Promise<void>}[] = [];

  constructor(private currentMs: number) {}

  nowMs(): number {
    return this.currentMs;
  }

  async sleepUntil(instantMs: number): Promise<void> {
    this.currentMs = Math.max(this.currentMs, instantMs);
    const due = this.events.filter((event) => event.atMs <= this.currentMs);
    for (const event of due) {
      this.events.splice(this.events.indexOf(event), 1);
      await event.run();
    }
  }

  /** Runs `run` once the clock reaches `atMs`. */
  at(atMs: number, run: () => Promise<void>): void {
    this.events.push({atMs, run});
  }
}

/** One recorded call to the stand-in. */
export interface StandInCall {
  readonly method: string;
  readonly atMs: number;
  readonly request: Record<string, unknown>;
}

/**
 * The four JobServiceClient methods over an in-memory list of CustomJobs
 * in one region: create assigns a numeric id, cancel moves the job to
 * CANCELLING and then along `afterCancel`.
 */
export class AiplatformStandIn implements JobServiceClientLike {
  readonly jobs = new Map<string, CustomJob>();
  readonly calls: StandInCall[] = [];
  /** States a cancelled job goes through, by milliseconds after cancel. */
  afterCancel: {afterMs: number; state: string}[] =
    [{afterMs: 0, state: 'JOB_STATE_CANCELLED'}];
  /** When set, create rejects with it. */
  createError: unknown = null;
  private nextId = 1000;
  private readonly cancelledAtMs = new Map<string, number>();

  constructor(
    readonly project: string,
    readonly regionId: string,
    private readonly clock: Clock,
  ) {}

  async createCustomJob(request: {parent: string; customJob: CustomJob}) {
    this.record('createCustomJob', request);
    if (this.createError) throw this.createError;
    const name = `${request.parent}/customJobs/${this.nextId++}`;
    const job: CustomJob = {
      ...structuredClone(request.customJob),
      name,
      state: 'JOB_STATE_PENDING',
      createTime: {seconds: Math.floor(this.clock.nowMs() / 1000)},
    };
    this.jobs.set(name, job);
    return [structuredClone(job)] as const;
  }

  async getCustomJob(request: {name: string}) {
    this.record('getCustomJob', request);
    const job = this.jobs.get(request.name);
    if (!job) throw Object.assign(new Error('not found'), {code: 5});
    const cancelledAtMs = this.cancelledAtMs.get(request.name);
    if (cancelledAtMs !== undefined) {
      for (const step of this.afterCancel) {
        if (this.clock.nowMs() >= cancelledAtMs + step.afterMs) {
          job.state = step.state as CustomJob['state'];
        }
      }
      if (job.state !== 'JOB_STATE_CANCELLING' && !job.endTime) {
        job.endTime = {seconds: Math.floor(this.clock.nowMs() / 1000)};
      }
    }
    return [structuredClone(job)] as const;
  }

  async listCustomJobs(request: {parent: string; filter: string}) {
    this.record('listCustomJobs', request);
    // The service applies the filter; every job is returned here so that
    // the adapter's own label check is exercised too.
    return [[...this.jobs.values()].map((job) => structuredClone(job))] as
      const;
  }

  async cancelCustomJob(request: {name: string}) {
    this.record('cancelCustomJob', request);
    const job = this.jobs.get(request.name);
    if (!job) throw Object.assign(new Error('not found'), {code: 5});
    if (!this.cancelledAtMs.has(request.name)) {
      this.cancelledAtMs.set(request.name, this.clock.nowMs());
      job.state = 'JOB_STATE_CANCELLING';
    }
    return [{}];
  }

  /** Sets a job's state (and start time on RUNNING) from the outside. */
  setState(name: string, state: string): void {
    const job = this.jobs.get(name)!;
    job.state = state as CustomJob['state'];
    if (state === 'JOB_STATE_RUNNING') {
      job.startTime = {seconds: Math.floor(this.clock.nowMs() / 1000)};
    }
  }

  callsOf(method: string): StandInCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  private record(method: string, request: object): void {
    this.calls.push({method, atMs: this.clock.nowMs(),
      request: {...request}});
  }
}
