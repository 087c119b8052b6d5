import assert from 'node:assert/strict';
import {checkpointTransferOf} from
  '../../../functions/record-footprint/checkpoint-transfer.js';
import {
  computeSegmentFootprint,
  type SegmentFootprintInputs,
} from '../../../shared/footprint/segment-footprint.js';
import {toFootprintRow} from '../../../shared/ledger/footprint-rows.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00Z');
const PUE = 1.2;
const GRAMS_PER_KILOWATT_HOUR = 400;

// Two hours at 1 kW under one observed 400 g/kWh point: 2 kWh compute.
function inputsFor(
  segment: {checkpointBytesMoved?: number},
): SegmentFootprintInputs {
  return {
    regionId: 'europe-north1',
    startMs: T0,
    endMs: T0 + 2 * HOUR_MS,
    itPowerWatts: 1000,
    powerUsageEffectiveness: PUE,
    intensity: {
      zone: 'FI', basis: 'average-lifecycle', kind: 'observed',
      source: 'test:observed',
      points: [{startMs: T0, durationMs: 2 * HOUR_MS,
        gramsPerKilowattHour: GRAMS_PER_KILOWATT_HOUR}],
    },
    embodied: null,
    ...checkpointTransferOf(segment),
  };
}

describe('checkpoint transfer in a segment footprint', () => {
  it('charges the bytes moved at 0.001 kWh per GB, PUE and intensity',
    () => {
      const bytes = 2_500_000_000;
      const footprint = computeSegmentFootprint(
        inputsFor({checkpointBytesMoved: bytes}));

      const kilowattHours = (bytes / 1e9) * 0.001;
      assert.equal(footprint.transferEnergyKilowattHours, kilowattHours);
      assert.equal(footprint.transferGrams,
        kilowattHours * PUE * GRAMS_PER_KILOWATT_HOUR);
      assert.ok(Math.abs((footprint.transferGrams ?? 0) - 1.2) < 1e-12);
      assert.equal(footprint.itEnergyKilowattHours, 2 + kilowattHours);
      assert.equal(footprint.locationBasedGrams,
        2 * PUE * GRAMS_PER_KILOWATT_HOUR +
          kilowattHours * PUE * GRAMS_PER_KILOWATT_HOUR);
      assert.deepEqual(footprint.inputs.transfer,
        {checkpointKilowattHours: kilowattHours});

      const row = toFootprintRow(footprint,
        {jobId: 'job-1', projectId: 'project-1', recordedAtMs: T0},
        {footprintKind: 'actual', segmentIndex: 1});
      assert.equal(row.it_energy_kwh, 2 + kilowattHours);
      assert.deepEqual((row.inputs as SegmentFootprintInputs).transfer,
        {checkpointKilowattHours: kilowattHours});
    });

  it('has no transfer input for a segment that stayed in its region',
    () => {
      const footprint = computeSegmentFootprint(inputsFor({}));
      assert.equal('transfer' in footprint.inputs, false);
      assert.equal(footprint.transferEnergyKilowattHours, 0);
      assert.equal(footprint.itEnergyKilowattHours, 2);
    });

  it('keeps a move of zero bytes as a real, zero transfer', () => {
    assert.deepEqual(checkpointTransferOf({checkpointBytesMoved: 0}),
      {transfer: {checkpointKilowattHours: 0}});
  });
});
