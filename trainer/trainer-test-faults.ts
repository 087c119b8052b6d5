/**
 * Faults a test may ask the trainer to suffer, so that the scheduler's
 * handling of a container that dies at the worst moment is exercised
 * with a real process. None is ever on unless a test asks for it with
 * `--test-fault NAME`; production launches never pass the flag.
 */
export const TRAINER_TEST_FAULTS = [
  /**
   * During the pause checkpoint, once every data file is written and
   * before the manifest, the trainer SIGKILLs itself: the checkpoint is
   * left torn, as by a preemption or an out-of-memory kill mid-write.
   */
  'kill-before-pause-manifest',
] as const;
export type TrainerTestFault = (typeof TRAINER_TEST_FAULTS)[number];

/**
 * Ends this process at once with SIGKILL: no handler runs, no reply is
 * sent and nothing more is written. The returned promise never settles.
 */
export function killThisProcessForTest(): Promise<never> {
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
}
