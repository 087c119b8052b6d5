import assert from 'node:assert/strict';

import {
  ElectricityMapsTraces,
  listTraceFiles,
  parseTrace,
} from '../../../shared/signals/electricity-maps-traces.js';
import {TraceFormatError} from '../../../shared/signals/signal-errors.js';
import {
  HOUR_MS,
  removeTraceFolders,
  traceText,
  writeTraceFolder,
} from './trace-fixture.js';

const FIRST_HOUR_MS = Date.UTC(2022, 2, 27, 0);
const HOURS = [
  {lifecycle: 120.5, direct: 80},
  {lifecycle: null, direct: null},
  {lifecycle: 0, direct: 0},
];

describe('parseTrace', () => {
  it('reads Datetime (UTC) as hour starts in UTC', () => {
    const trace = parseTrace(traceText('GB', FIRST_HOUR_MS, HOURS), 'f.csv');

    assert.deepEqual(
      trace.points['average-lifecycle'].map((p) => p.startMs),
      [FIRST_HOUR_MS, FIRST_HOUR_MS + HOUR_MS, FIRST_HOUR_MS + 2 * HOUR_MS]);
    assert.ok(trace.points['average-direct']
      .every((p) => p.durationMs === HOUR_MS));
  });

  it('takes LCA as lifecycle, direct as direct, empty as null', () => {
    const trace = parseTrace(traceText('GB', FIRST_HOUR_MS, HOURS, '\n'),
      'f.csv');

    assert.deepEqual(
      trace.points['average-lifecycle'].map((p) => p.gramsPerKilowattHour),
      [120.5, null, 0]);
    assert.deepEqual(
      trace.points['average-direct'].map((p) => p.gramsPerKilowattHour),
      [80, null, 0]);
  });

  it('refuses a row of another zone', () => {
    assert.throws(
      () => parseTrace(traceText('FR', FIRST_HOUR_MS, HOURS), 'f.csv', 'GB'),
      TraceFormatError);
  });

  it('refuses a timestamp in another format', () => {
    const text = traceText('GB', FIRST_HOUR_MS, HOURS)
      .replace('2022-03-27 00:00:00', '2022-03-27T00:00:00Z');

    assert.throws(() => parseTrace(text, 'f.csv'), /Datetime \(UTC\)/);
  });
});

describe('ElectricityMapsTraces', () => {
  after(removeTraceFolders);

  it('loads a zone without touching the files of other zones', () => {
    const directory = writeTraceFolder([
      {zone: 'GB', year: 2022, text: traceText('GB', FIRST_HOUR_MS, HOURS)},
      {zone: 'FR', year: 2022, text: 'not, a "trace\n'},
    ]);
    const traces = new ElectricityMapsTraces({directory});

    assert.deepEqual(traces.zones(), ['FR', 'GB']);
    assert.equal(
      traces.observedSeries('GB', 'average-direct')?.points.length, 3);
    assert.throws(() => traces.observedSeries('FR', 'average-direct'));
  });

  it('joins the selected years of a zone in time order', () => {
    const directory = writeTraceFolder([
      {zone: 'GB', year: 2022, text: traceText('GB', FIRST_HOUR_MS, HOURS)},
      {zone: 'GB', year: 2021, text: traceText('GB',
        FIRST_HOUR_MS - 365 * 24 * HOUR_MS, HOURS)},
    ]);
    const both = new ElectricityMapsTraces({directory, years: [2022, 2021]});
    const series = both.observedSeries('GB', 'average-lifecycle');

    assert.equal(both.label, 'electricitymaps-2021-2022');
    assert.equal(series?.points.length, 6);
    assert.equal(series?.points[0]?.startMs,
      FIRST_HOUR_MS - 365 * 24 * HOUR_MS);
    assert.equal(series?.kind, 'observed');
  });

  it('is named by the years it holds files for, not the years asked for',
    () => {
      const directory = writeTraceFolder([
        {zone: 'GB', year: 2022, text: traceText('GB', FIRST_HOUR_MS,
          HOURS)},
      ]);

      assert.equal(new ElectricityMapsTraces({directory,
        years: [2021, 2022]}).label, 'electricitymaps-2022');
      assert.equal(new ElectricityMapsTraces({directory,
        years: [2020]}).label, 'electricitymaps-none');
    });

  it('answers null for a zone it has no file for', () => {
    const traces = new ElectricityMapsTraces();

    assert.equal(traces.observedSeries('XX', 'average-direct'), null);
  });

  it('reads a full shipped zone-year, LF file included', () => {
    const traces = new ElectricityMapsTraces({years: [2022]});
    for (const zone of ['SE-SE3', 'GB']) {
      const points = traces.observedSeries(zone, 'average-lifecycle')!.points;
      assert.equal(points.length, 8760, zone);
      assert.equal(points[0]?.startMs, Date.UTC(2022, 0, 1));
      assert.ok(points.every((p) => p.gramsPerKilowattHour !== null));
    }
  });

  it('lists shipped files for 2021 and 2022 only', () => {
    const years = new Set(listTraceFiles().map((file) => file.year));

    assert.deepEqual([...years].sort(), [2021, 2022]);
  });
});
