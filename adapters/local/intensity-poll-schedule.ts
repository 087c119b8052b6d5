import type {Logger} from '../../shared/ports/logger.js';
import type {TrackedPublisher} from './tracked-publisher.js';
import type {VirtualClock} from './virtual-clock.js';

/** What the local stand-in for Cloud Scheduler needs. */
export interface IntensityPollScheduleOptions {
  readonly clock: VirtualClock;
  readonly publisher: TrackedPublisher;
  readonly logger: Logger;
  /** Between two polls, in virtual ms; polls fall on its multiples. */
  readonly intervalMs: number;
}

/** A running schedule; `stop()` publishes no further poll. */
export interface IntensityPollSchedule {
  stop(): void;
  /** Polls published so far. */
  publishedCount(): number;
}

/**
 * Publishes the scheduled `intensity-polls` message on the virtual clock,
 * as Cloud Scheduler does (`*\/N * * * *`: on the multiples of the
 * interval since the epoch), with the same body. The clock is held from
 * each tick until the message is out; the publisher holds it until
 * fetch-forecasts has settled the poll.
 */
export function scheduleIntensityPolls(
  options: IntensityPollScheduleOptions,
): IntensityPollSchedule {
  const {clock, publisher, logger, intervalMs} = options;
  let stopped = false;
  let published = 0;

  // Step 1: the tick after `fromMs`, on a multiple of the interval.
  const nextTickMs = (fromMs: number) =>
    (Math.floor(fromMs / intervalMs) + 1) * intervalMs;

  // Step 2: sleep to each tick, then publish, until stopped.
  const loop = async () => {
    for (let tickMs = nextTickMs(clock.nowMs()); ;
      tickMs = nextTickMs(tickMs)) {
      await clock.sleepUntil(tickMs);
      if (stopped) return;
      const release = clock.hold('scheduled intensity poll');
      try {
        await publisher.publish('intensity-polls', {
          kind: 'intensity-poll',
          source: 'local-schedule',
          scheduledAt: new Date(tickMs).toISOString(),
        }, {kind: 'intensity-poll'});
        published++;
      } catch (error) {
        // A missed tick is not retried, as Cloud Scheduler's is not
        // once its retries are spent; the next tick polls again.
        logger.log('ERROR', 'scheduled intensity poll not published', {
          scheduledAt: new Date(tickMs).toISOString(),
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        release();
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
    },
    publishedCount: () => published,
  };
}
