/**
 * The forecast with the current interval replaced by the live reading.
 */
import type {
  IntensityPoint,
  IntensitySeries,
} from '../signals/intensity-series.js';

/**
 * Returns a series where `reading` wins over the forecast on its own
 * interval; forecast points overlapping it are cut, never mutated.
 */
export function overlayReading(
  forecast: IntensitySeries,
  reading: IntensityPoint,
): IntensitySeries {
  const readingEndMs = reading.startMs + reading.durationMs;
  const points: IntensityPoint[] = [];
  const keep = (startMs: number, endMs: number, point: IntensityPoint) => {
    if (endMs > startMs) {
      points.push({startMs, durationMs: endMs - startMs,
        gramsPerKilowattHour: point.gramsPerKilowattHour});
    }
  };
  let placed = false;
  for (const point of forecast.points) {
    const endMs = point.startMs + point.durationMs;
    if (!placed && endMs > reading.startMs) {
      keep(point.startMs, Math.min(endMs, reading.startMs), point);
      points.push(reading);
      placed = true;
    }
    if (endMs <= reading.startMs) points.push(point);
    else keep(Math.max(point.startMs, readingEndMs), endMs, point);
  }
  if (!placed) points.push(reading);
  return {...forecast, points};
}
