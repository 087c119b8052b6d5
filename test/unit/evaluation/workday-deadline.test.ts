import assert from 'node:assert/strict';
import {deadlineFor} from '../../../shared/evaluation/job-mix.js';
import {
  nextWorkdayStartMs,
} from '../../../shared/evaluation/workday-deadline.js';

const HOUR_MS = 3_600_000;

describe('next workday deadline (09:00 local, Monday to Friday)', () => {
  it('moves a Friday evening finish to Monday 09:00 in Berlin', () => {
    // Friday 2022-06-17 18:00 CEST = 16:00Z; Monday 09:00 CEST = 07:00Z
    assert.equal(nextWorkdayStartMs(Date.UTC(2022, 5, 17, 16), 'Europe/Berlin'),
      Date.UTC(2022, 5, 20, 7));
  });

  it('keeps the local hour across the spring DST change', () => {
    // Saturday 2022-03-26 (CET) to Monday 2022-03-28 09:00 CEST = 07:00Z
    assert.equal(nextWorkdayStartMs(Date.UTC(2022, 2, 26, 12),
      'Europe/Berlin'), Date.UTC(2022, 2, 28, 7));
  });

  it('handles a half-hour offset (Kolkata, UTC+05:30)', () => {
    // Tuesday 2022-06-14 02:00Z is 07:30 local: 09:00 local the same day
    assert.equal(nextWorkdayStartMs(Date.UTC(2022, 5, 14, 2),
      'Asia/Kolkata'), Date.UTC(2022, 5, 14, 3, 30));
  });

  it('reads an unknown time zone as UTC', () => {
    assert.equal(nextWorkdayStartMs(Date.UTC(2022, 5, 14, 10), null),
      Date.UTC(2022, 5, 15, 9));
  });

  it('gives the fixed rules 24 h and 48 h after the earliest finish', () => {
    const submittedMs = Date.UTC(2022, 5, 14);
    assert.equal(deadlineFor('plus-24h', submittedMs, 8 * HOUR_MS, null),
      submittedMs + 32 * HOUR_MS);
    assert.equal(deadlineFor('plus-48h', submittedMs, 8 * HOUR_MS, null),
      submittedMs + 56 * HOUR_MS);
  });
});
