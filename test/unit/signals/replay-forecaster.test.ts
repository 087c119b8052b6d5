import assert from 'node:assert/strict';

import {
  dailyProfileForecast,
} from '../../../shared/signals/forecast-daily-profile.js';
import {ProfileCache} from '../../../shared/signals/forecast-features.js';
import {
  fitLinearModel,
} from '../../../shared/signals/forecast-linear-model.js';
import {
  LookAheadError,
  PastView,
} from '../../../shared/signals/forecast-past-view.js';
import {
  createHonestForecaster,
  type KnownPast,
} from '../../../shared/signals/replay-forecaster.js';

const HOUR_MS = 3_600_000;
const FIRST_HOUR_MS = Date.UTC(2022, 0, 3);

// A repeatable daily shape with weather-like noise.
function syntheticHours(count: number, seed = 7): Float64Array {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const values = new Float64Array(count);
  let weather = 0;
  for (let hour = 0; hour < count; hour++) {
    weather = 0.9 * weather + 20 * (random() - 0.5);
    values[hour] = 300 + 80 * Math.sin((2 * Math.PI * hour) / 24) + weather;
  }
  return values;
}

// Known past over `values` whose source would answer any hour, the
// future included: only the forecaster's own discipline keeps it honest.
function leakyPast(
  values: Float64Array,
  nowIndex: number,
  asked: number[] = [],
): KnownPast {
  return {
    valueAt: (startMs) => {
      asked.push(startMs);
      const index = (startMs - FIRST_HOUR_MS) / HOUR_MS;
      return index >= 0 && index < values.length ? values[index] : undefined;
    },
    lastKnownStartMs: FIRST_HOUR_MS + (nowIndex - 1) * HOUR_MS,
  };
}

function forecastHours(
  values: Float64Array,
  nowIndex: number,
  hours: number,
): (number | null)[] {
  const forecaster = createHonestForecaster();
  const past = leakyPast(values, nowIndex);
  return Array.from({length: hours}, (_, lead) =>
    forecaster(past, FIRST_HOUR_MS + (nowIndex + lead) * HOUR_MS));
}

describe('PastView', () => {
  const view = new PastView(FIRST_HOUR_MS, Float64Array.of(1, 2, 3, 4), 2);

  it('reads the hours before now', () => {
    assert.equal(view.at(0), 1);
    assert.equal(view.at(1), 2);
  });

  it('throws LookAheadError for the hour at now and any later one', () => {
    assert.throws(() => view.at(2), LookAheadError);
    assert.throws(() => view.at(3), LookAheadError);
  });

  it('refuses to move its now later', () => {
    assert.throws(() => view.asOf(3), LookAheadError);
    assert.throws(() => view.asOf(1).at(1), LookAheadError);
  });
});

describe('honest replay forecaster', () => {
  const days = 80;
  const values = syntheticHours(days * 24);
  const nowIndex = 70 * 24 + 9;

  it('never asks its source for an hour at or after now', () => {
    const asked: number[] = [];
    const forecaster = createHonestForecaster();
    const past = leakyPast(values, nowIndex, asked);
    for (let lead = 0; lead < 186; lead++) {
      forecaster(past, FIRST_HOUR_MS + (nowIndex + lead) * HOUR_MS);
    }

    assert.ok(asked.length > 0);
    const nowMs = FIRST_HOUR_MS + nowIndex * HOUR_MS;
    assert.ok(asked.every((startMs) => startMs < nowMs));
  });

  it('forecasts the same whatever the hours after now hold', () => {
    const altered = values.slice();
    for (let index = nowIndex; index < altered.length; index++) {
      altered[index] = 999 - (index % 5) * 100;
    }

    const original = forecastHours(values, nowIndex, 120);
    assert.deepEqual(forecastHours(altered, nowIndex, 120), original);
    assert.ok(original.every((value) => typeof value === 'number'));
  });

  it('fits the same weights whatever the hours after its cut-off hold', () => {
    const cutoff = 60 * 24;
    const altered = values.slice();
    for (let index = cutoff; index < altered.length; index++) {
      altered[index] = 5 + index % 3;
    }
    const fit = (hours: Float64Array) => fitLinearModel(
      new PastView(FIRST_HOUR_MS, hours, cutoff),
      new ProfileCache(hours.length));

    assert.deepEqual(fit(altered), fit(values));
  });

  it('beats the plain profile forecast a day ahead on a shaped series', () => {
    const forecaster = createHonestForecaster();
    let fittedError = 0;
    let plainError = 0;
    for (let issue = 60 * 24; issue < 75 * 24; issue += 7) {
      const past = leakyPast(values, issue);
      const target = issue + 23;
      const actual = values[target]!;
      fittedError += Math.abs(
        forecaster(past, FIRST_HOUR_MS + target * HOUR_MS)! - actual);
      plainError += Math.abs(dailyProfileForecast(
        new PastView(FIRST_HOUR_MS, values, issue), issue - 1, target) -
        actual);
    }

    assert.ok(fittedError < plainError,
      `fitted ${fittedError.toFixed(0)} vs plain ${plainError.toFixed(0)}`);
  });

  it('forecasts noisy hours two days ahead without a low bias', () => {
    // A daily shape times hours-long weather swings of about +-30 %.
    let state = 11;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const noisy = new Float64Array(days * 24);
    let weather = 0;
    for (let hour = 0; hour < noisy.length; hour++) {
      weather = 0.85 * weather + 0.16 * (random() - 0.5);
      noisy[hour] = 300 * Math.exp(weather * 4) *
        (1 + 0.3 * Math.sin((2 * Math.PI * hour) / 24));
    }
    const forecaster = createHonestForecaster();
    let forecastSum = 0;
    let actualSum = 0;
    for (let issue = 30 * 24; issue < 76 * 24; issue += 5) {
      const past = leakyPast(noisy, issue);
      for (let lead = 30; lead < 90 && issue + lead < noisy.length;
        lead += 7) {
        forecastSum += forecaster(past,
          FIRST_HOUR_MS + (issue + lead) * HOUR_MS)!;
        actualSum += noisy[issue + lead]!;
      }
    }

    const bias = forecastSum / actualSum - 1;
    assert.ok(Math.abs(bias) < 0.06, `bias ${(bias * 100).toFixed(1)} %`);
  });

  it('falls back to the plain forecast with under two weeks of history',
    () => {
      const issue = 10 * 24 + 5;
      const plain = Array.from({length: 48}, (_, lead) =>
        dailyProfileForecast(new PastView(FIRST_HOUR_MS, values, issue),
          issue - 1, issue + lead));

      assert.deepEqual(forecastHours(values, issue, 48), plain);
    });

  it('forecasts null, not 0, when nothing is known', () => {
    const forecaster = createHonestForecaster();
    const past: KnownPast = {valueAt: () => undefined,
      lastKnownStartMs: undefined};

    assert.equal(forecaster(past, FIRST_HOUR_MS), null);
  });

  it('forecasts across missing hours before now', () => {
    const withGap = values.slice();
    for (let index = nowIndex - 30; index < nowIndex - 3; index++) {
      withGap[index] = Number.NaN;
    }
    const past = leakyPast(withGap, nowIndex);
    const forecaster = createHonestForecaster();
    const forecast = Array.from({length: 30}, (_, lead) =>
      forecaster(past, FIRST_HOUR_MS + (nowIndex + lead) * HOUR_MS));

    assert.ok(forecast.every((value) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 0));
  });
});
