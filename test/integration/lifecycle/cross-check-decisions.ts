import assert from 'node:assert/strict';
import path from 'node:path';
import {DirectoryBlobStore} from '../../../adapters/local/directory-blob-store.js';
import type {DemoResult} from '../../../cli/demo.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {decidePauseOrContinue} from '../../../shared/policy/pause-policy.js';
import type {PauseDecisionInput} from '../../../shared/policy/policy-types.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';

/**
 * Re-runs the pause policy offline for every monitor decision a run made:
 * the reading and forecast are fetched again from the replayed data at
 * the decision's instant (not taken from the run), and the decision must
 * come out the same. Returns how many decisions were checked.
 */
export async function crossCheckDecisions(result: DemoResult): Promise<number> {
  const blobs = new DirectoryBlobStore(path.join(result.runDirectory, 'blobs'));
  const snapshot = await readSnapshot(blobs, result.jobId!);
  let nowMs = 0;
  const provider = new ReplayProvider({
    clock: {nowMs: () => nowMs, sleepUntil: async () => {}},
  });
  let checked = 0;
  for (const decision of snapshot!.decisions) {
    const details = decision.details as {
      zone: string;
      policyAction: string;
      inputs: PauseDecisionInput;
    };
    nowMs = decision.atMs;
    const latest = await provider.latest(details.zone);
    const forecast = await provider.forecast(details.zone, {horizonHours: 72});
    const stored = details.inputs;
    assert.equal(latest.gramsPerKilowattHour,
      stored.reading.gramsPerKilowattHour);
    const offline = decidePauseOrContinue({
      ...stored,
      reading: {startMs: latest.startMs, durationMs: latest.durationMs,
        gramsPerKilowattHour: latest.gramsPerKilowattHour},
      forecast,
    });
    assert.equal(offline.action, details.policyAction,
      `decision at ${new Date(nowMs).toISOString()}`);
    checked++;
  }
  return checked;
}
