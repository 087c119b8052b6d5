/**
 * Answers one plan request: filter the regions, fetch their forecasts,
 * plan (contiguous or on the checkpoint grid), price the counterfactual.
 */
import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import type {Region} from '../shared/catalog/region.js';
import {SchedulerError} from '../shared/errors.js';
import {estimatePowerDraw} from '../shared/footprint/hardware-power.js';
import {planContiguous} from '../shared/planner/contiguous-plan.js';
import {planInterruptible} from '../shared/planner/interruptible-plan.js';
import type {PlanCandidate} from '../shared/planner/plan-types.js';
import {
  loadPriceTable,
  PRICE_TABLE_PATH,
} from '../shared/planner/price-table.js';
import {filterRegions} from '../shared/planner/region-filter.js';
import {
  filterRegionsByQuota,
  NO_GPU_QUOTA,
} from '../shared/quotas/quota-filter.js';
import {FileQuotaChecker} from '../adapters/local/file-quota-checker.js';
import {estimateCounterfactual} from
  '../shared/planner/counterfactual-estimate.js';
import type {
  IntensityBasis,
  IntensitySeries,
} from '../shared/signals/intensity-series.js';
import {PlanCommandError, type ExcludedRegion} from './plan-errors.js';
import type {PlanRequest} from './plan-request.js';
import {planSignals, type PlanSignals} from './plan-signals.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Without hardware or --power-kw, plans are priced for 1 kW of IT load. */
const DEFAULT_IT_POWER_KILOWATTS = 1;
/** GPU utilisation the power estimate assumes (as the functions do). */
const GPU_UTILISATION_FRACTION = 0.9;
/** Overheads of a pause and a resume (the local world's settings). */
const CHECKPOINT_OVERHEAD_MS = 2 * MINUTE_MS;
const RESTART_OVERHEAD_MS = 5 * MINUTE_MS;

/** The plan, in the command's JSON shape. */
export interface PlanAnswer {
  readonly region: string;
  readonly zone: string;
  readonly start: string;
  readonly end: string;
  readonly segments: readonly {region: string; start: string; end: string}[];
  /** gCO2e/kWh, weighted by each segment's energy. */
  readonly averageIntensity: number;
  readonly expectedEmissionsGrams: number;
  readonly counterfactual: PlanCounterfactual;
  readonly savedPercent: number | null;
  readonly signal: {provider: string; emissionFactorType: string};
  readonly excluded: readonly ExcludedRegion[];
}

/** Had the job run at once in its home region, without pauses. */
export interface PlanCounterfactual {
  readonly region: string | null;
  readonly start: string;
  readonly expectedEmissionsGrams: number | null;
  /** Why the grams are unknown (the region and the cause); else null. */
  readonly unknownReason: string | null;
}

interface Fetched {
  readonly region: Region;
  readonly series: IntensitySeries;
}

/**
 * Plans the request.
 *
 * @throws PlanCommandError for unusable input (exit 2) or an infeasible
 *   request (exit 1), naming the field and stating the data coverage
 */
export async function runPlan(request: PlanRequest): Promise<PlanAnswer> {
  const nowMs = request.nowMs ?? (request.forecastDirectory !== null ?
    Date.now() : nowRequired());
  const earliestStartMs = Math.max(nowMs, request.earliestStartMs ?? nowMs);
  checkWindow(request, nowMs, earliestStartMs);

  // Filter first, keeping each region left out with its reason.
  const catalog = loadRegionCatalog();
  const asked = request.regionIds === null ? catalog.regions :
    request.regionIds.map((id) => requireRegion(id));
  const filtered = filterRegions(asked, {
    ...(request.residency !== null ? {residency: request.residency} : {}),
    ...(request.job ? {acceleratorType: request.job.hardware.acceleratorType}
      : {}),
  });
  const excluded: ExcludedRegion[] = filtered.excluded
    .map((entry) => ({region: entry.region.id, reason: entry.reason,
      detail: entry.message}));
  const withQuota = await keepRegionsWithQuota(request, filtered.eligible,
    excluded);

  const signals = planSignals(request.forecastDirectory, nowMs);
  const fetched: Fetched[] = [];
  const noData: string[] = [];
  for (const region of withQuota) {
    const answer = await signals.forecast(region.electricityMapsZone!);
    if (answer.series === null) {
      excluded.push({region: region.id, reason: answer.reason,
        detail: answer.message});
      if (answer.reason === 'no-signal-data') noData.push(answer.message);
      continue;
    }
    fetched.push({region, series: answer.series});
  }
  if (fetched.length === 0) {
    noRegionLeft(noData, excluded, {afterFilters: filtered.eligible.length,
      afterQuota: withQuota.length});
  }
  checkNowInsideData(nowMs, fetched);

  const basis = chooseBasis(request, fetched);
  checkBasisAvailable(request, basis, fetched);
  const itPowerKilowatts = powerOf(request);
  const candidates = withPrices(request, fetched.map(({region, series}) => ({
    regionId: region.id, series,
    powerUsageEffectiveness: region.powerUsageEffectiveness.value,
    isHome: region.id === request.homeRegionId})));
  const dataset = request.job?.dataset;
  const base = {candidates, earliestStartMs, deadlineMs: request.deadlineMs,
    itPowerKilowatts, basis, costWeight: request.job?.costWeight ?? 0,
    ...(dataset ? {datasetRegionId: dataset.regionId,
      datasetGigabytes: dataset.sizeGigabytes,
      egressPricePerGigabyte: priceTable(request)
        ?.egressPricePerGigabyte(dataset.regionId) ?? null} : {})};

  const plan = planned(request, base);
  for (const region of plan.regions) {
    if (region.excluded !== null) {
      excluded.push({region: region.regionId, reason: region.excluded,
        detail: plannerExclusionDetail(region.regionId, region.excluded,
          fetched, basis, request.durationMs)});
    }
  }
  if (plan.segments === null) {
    throw new PlanCommandError('--deadline', `no allowed region has ` +
      `forecast data covering a whole ${hours(request.durationMs)} window ` +
      `between ${iso(earliestStartMs)} and ${iso(request.deadlineMs)}`,
      `data covers ${coverage(fetched)}; move the deadline or --now`,
      'infeasible');
  }

  const segments = plan.segments;
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const chosen = fetched.find((f) => f.region.id === first.regionId)!;
  const counterfactual = await priceCounterfactual(request, signals,
    earliestStartMs, itPowerKilowatts);
  const savedPercent = counterfactual.expectedEmissionsGrams === null ||
    !(counterfactual.expectedEmissionsGrams > 0) ? null :
    (counterfactual.expectedEmissionsGrams - plan.emissionsGrams) /
      counterfactual.expectedEmissionsGrams * 100;
  return {
    region: first.regionId, zone: chosen.series.zone,
    start: iso(first.startMs), end: iso(last.endMs),
    segments: segments.map((s) => ({region: s.regionId,
      start: iso(s.startMs), end: iso(s.endMs)})),
    averageIntensity: plan.averageIntensity,
    expectedEmissionsGrams: plan.emissionsGrams,
    counterfactual, savedPercent,
    signal: {provider: signals.provider,
      emissionFactorType: basis === 'average-direct' ? 'direct' :
        basis === 'marginal' ? 'marginal' : 'lifecycle'},
    excluded: excluded.sort((a, b) => a.region.localeCompare(b.region)),
  };
}

interface Planned {
  readonly segments: readonly {regionId: string; startMs: number;
    endMs: number}[] | null;
  readonly emissionsGrams: number;
  readonly averageIntensity: number;
  readonly regions: readonly {regionId: string;
    excluded: string | null}[];
}

// The contiguous window, or the checkpoint-grid plan when it wins.
function planned(
  request: PlanRequest,
  base: Omit<Parameters<typeof planContiguous>[0], 'durationMs'>,
): Planned {
  const contiguous = planContiguous({...base, durationMs: request.durationMs});
  const none = {segments: null, emissionsGrams: NaN, averageIntensity: NaN,
    regions: contiguous.regions};
  if (!request.interruptible) {
    if (!contiguous.feasible) return none;
    const c = contiguous.chosen;
    const grams = c.expectedEmissionsGrams + c.transferEmissionsGrams;
    return {segments: [c], emissionsGrams: grams,
      averageIntensity: c.averageGramsPerKilowattHour,
      regions: contiguous.regions};
  }
  const job = request.job;
  const plan = planInterruptible({...base, workMs: request.durationMs,
    checkpointEveryMs: (job?.checkpointEveryMinutes ?? 30) * MINUTE_MS,
    minRunMs: (job?.minRunMinutes ?? 60) * MINUTE_MS,
    maxPauses: job?.constraints.maxPauses ?? 4,
    checkpointOverheadMs: CHECKPOINT_OVERHEAD_MS,
    restartOverheadMs: RESTART_OVERHEAD_MS});
  if (!plan.feasible) return none;
  // Energy-weighted: each segment's grams over its facility energy.
  const byId = new Map(base.candidates.map((c) => [c.regionId, c]));
  let kilowattHours = 0;
  let grams = 0;
  for (const segment of plan.segments) {
    const pue = byId.get(segment.regionId)!.powerUsageEffectiveness;
    kilowattHours += base.itPowerKilowatts * pue *
      (segment.endMs - segment.startMs) / HOUR_MS;
    grams += segment.emissionsGrams;
  }
  return {segments: plan.segments, emissionsGrams: plan.totalEmissionsGrams,
    averageIntensity: grams / kilowattHours, regions: contiguous.regions};
}

// The same job run at once, at home, without pauses, on the same
// signals: the home region is priced even when the filters left it out.
async function priceCounterfactual(
  request: PlanRequest,
  signals: PlanSignals,
  startMs: number,
  itPowerKilowatts: number,
): Promise<PlanCounterfactual> {
  const regionId = request.homeRegionId;
  const answer = (expectedEmissionsGrams: number | null,
    unknownReason: string | null): PlanCounterfactual =>
    ({region: regionId, start: iso(startMs), expectedEmissionsGrams,
      unknownReason});
  if (regionId === null) {
    return answer(null, 'no home region: pass --home REGION (where the ' +
      'job would run without the scheduler), or a --job with homeRegion');
  }
  const home = loadRegionCatalog().get(regionId);
  if (home === undefined) {
    return answer(null, `${regionId} is not in the region catalog`);
  }
  const zone = home.electricityMapsZone;
  if (zone === null) {
    return answer(null, `${regionId} has no grid zone mapped, so its ` +
      'intensity is unknown');
  }
  const forecast = await signals.forecast(zone);
  const estimate = estimateCounterfactual({
    homeRegionId: regionId,
    forecast: forecast.series === null
      ? {series: null, reason: forecast.message} : forecast,
    powerUsageEffectiveness: home.powerUsageEffectiveness.value,
    startMs,
    workMs: request.durationMs,
    itPowerKilowatts,
  });
  return answer(estimate.expectedEmissionsGrams, estimate.unknownReason);
}

function checkWindow(request: PlanRequest, nowMs: number,
  earliestStartMs: number): void {
  if (request.earliestStartMs !== null &&
    request.deadlineMs <= request.earliestStartMs) {
    throw new PlanCommandError('--deadline', `${iso(request.deadlineMs)} ` +
      `is before the earliest start (${iso(request.earliestStartMs)})`,
      'give a deadline after the earliest start (--earliest or ' +
      'constraints.earliestStart)', 'infeasible');
  }
  if (request.deadlineMs <= nowMs) {
    throw new PlanCommandError('--deadline', `${iso(request.deadlineMs)} ` +
      `is not after now (${iso(nowMs)})`, 'give a later deadline or an ' +
      'earlier --now', 'infeasible');
  }
  const windowMs = request.deadlineMs - earliestStartMs;
  if (windowMs < request.durationMs) {
    throw new PlanCommandError('--deadline', `the window from ` +
      `${iso(earliestStartMs)} to ${iso(request.deadlineMs)} is ` +
      `${hours(windowMs)}, shorter than the job's ` +
      `${hours(request.durationMs)}`, 'move the deadline later or shorten ' +
      '--duration', 'infeasible');
  }
}

// A now before or after every series cannot be planned from.
function checkNowInsideData(nowMs: number, fetched: readonly Fetched[]) {
  const inside = fetched.some(({series}) => {
    const last = series.points[series.points.length - 1];
    return last !== undefined && nowMs < last.startMs + last.durationMs;
  });
  if (!inside) {
    throw new PlanCommandError('--now', `${iso(nowMs)} is after every ` +
      'forecast', `data covers ${coverage(fetched)}; give --now inside it`,
      'infeasible');
  }
}

// Regions where the job's accelerators exceed the project's quota are
// left out with the reason.
async function keepRegionsWithQuota<R extends {id: string}>(
  request: PlanRequest,
  regions: readonly R[],
  excluded: ExcludedRegion[],
): Promise<readonly R[]> {
  if (request.quotasFile === null) return regions;
  const hardware = request.job?.hardware;
  if (!hardware) {
    throw new PlanCommandError('--quotas', 'needs the job\'s hardware to ' +
      'know which quota applies', 'give --job with a hardware block');
  }
  let checker: FileQuotaChecker;
  try {
    checker = new FileQuotaChecker(request.quotasFile);
  } catch (error) {
    throw new PlanCommandError('--quotas', (error as Error).message,
      'fix the quota file');
  }
  const result = await filterRegionsByQuota(regions.map((r) => r.id), {
    acceleratorType: hardware.acceleratorType,
    acceleratorCount: hardware.acceleratorCount,
  }, checker);
  excluded.push(...result.excluded.map((entry) => ({region: entry.region,
    reason: NO_GPU_QUOTA, detail: entry.reason})));
  const kept = new Set(result.kept);
  return regions.filter((region) => kept.has(region.id));
}

// The error names what left no region: the time asked for (regions
// whose zone has data had none then), the quota, or the filters.
function noRegionLeft(noData: readonly string[],
  excluded: readonly ExcludedRegion[],
  left: {readonly afterFilters: number; readonly afterQuota: number}):
  never {
  if (noData.length > 0) {
    throw new PlanCommandError('--now', 'no forecast can be issued then: ' +
      noData[0], 'give --now inside the data', 'infeasible');
  }
  if (left.afterFilters > 0 && left.afterQuota === 0) {
    const short = excluded.filter((entry) => entry.reason === NO_GPU_QUOTA)
      .map((entry) => `${entry.region} (${entry.detail})`);
    throw new PlanCommandError('--quotas', `no region left has GPU ` +
      `quota for the job: ${short.join('; ')}`, 'raise the quota in a ' +
      'region the job may use, or allow more regions', 'infeasible',
      excluded);
  }
  const reasons = [...excluded]
    .sort((a, b) => a.region.localeCompare(b.region))
    .map((entry) => `${entry.region} (${entry.reason}: ${entry.detail})`);
  throw new PlanCommandError('--regions', `all ${excluded.length} ` +
    `region(s) are excluded: ${reasons.join('; ')}`, 'allow more regions, ' +
    'relax the residency, or give --forecasts for their zones',
    'infeasible', excluded);
}

// A basis asked for that no fetched forecast is on is the cause itself.
function checkBasisAvailable(request: PlanRequest, basis: IntensityBasis,
  fetched: readonly Fetched[]): void {
  if (request.basis === null ||
    fetched.some(({series}) => series.basis === basis)) {
    return;
  }
  const onBasis = fetched.map(({region, series}) =>
    `${region.id} (${series.zone}) ${basisName(series.basis)}`).join(', ');
  throw new PlanCommandError('--basis', `no allowed region has a ` +
    `${request.basis} forecast: ${onBasis}`, 'drop --basis, or give ' +
    `--basis ${request.basis === 'direct' ? 'lifecycle' : 'direct'} or ` +
    `forecasts on the ${request.basis} basis`, 'infeasible');
}

// Why the planner left a region with data out, in words.
function plannerExclusionDetail(regionId: string, reason: string,
  fetched: readonly Fetched[], basis: IntensityBasis,
  durationMs: number): string {
  const series = fetched.find((f) => f.region.id === regionId)?.series;
  if (reason === 'basis-mismatch' && series) {
    return `its ${series.zone} forecast is ${basisName(series.basis)}, ` +
      `not ${basisName(basis)}`;
  }
  if (reason === 'no-eligible-window') {
    return `its forecast covers no whole ${hours(durationMs)} window ` +
      'before the deadline';
  }
  return reason;
}

function basisName(basis: IntensityBasis): string {
  return basis === 'average-direct' ? 'direct' :
    basis === 'average-lifecycle' ? 'lifecycle' : basis;
}

// The requested basis; else lifecycle when any region has it.
function chooseBasis(request: PlanRequest, fetched: readonly Fetched[]):
  IntensityBasis {
  if (request.basis === 'direct') return 'average-direct';
  if (request.basis === 'lifecycle') return 'average-lifecycle';
  const bases = new Set(fetched.map((f) => f.series.basis));
  if (bases.has('average-lifecycle')) return 'average-lifecycle';
  return [...bases][0]!;
}

function powerOf(request: PlanRequest): number {
  if (request.itPowerKilowatts !== null) return request.itPowerKilowatts;
  const hardware = request.job?.hardware;
  if (!hardware) return DEFAULT_IT_POWER_KILOWATTS;
  return estimatePowerDraw({machineType: hardware.machineType,
    acceleratorType: hardware.acceleratorType,
    acceleratorCount: hardware.acceleratorCount,
    utilisation: {gpuFraction: GPU_UTILISATION_FRACTION}}).totalWatts / 1000;
}

// Hourly prices from the table, only when costWeight asks for them.
function withPrices(request: PlanRequest, candidates: PlanCandidate[]):
  PlanCandidate[] {
  const table = priceTable(request);
  const hardware = request.job?.hardware;
  if (table === null || !hardware) return candidates;
  return candidates.map((c) => ({...c, pricePerHour: table
    .acceleratorHourPrice(c.regionId, hardware.acceleratorType,
      hardware.acceleratorCount)}));
}

function priceTable(request: PlanRequest) {
  if (!((request.job?.costWeight ?? 0) > 0)) return null;
  return loadPriceTable(request.pricesFile ?? PRICE_TABLE_PATH);
}

function requireRegion(id: string): Region {
  try {
    return loadRegionCatalog().require(id);
  } catch (error) {
    if (error instanceof SchedulerError) {
      throw new PlanCommandError('--regions', error.message,
        'name Google Cloud regions from the catalog');
    }
    throw error;
  }
}

function nowRequired(): never {
  throw new PlanCommandError('--now', 'is missing', 'the replayed traces ' +
    'cover 2021 and 2022: give an instant inside them, e.g. --now ' +
    '2022-06-14T00:00:00Z, or give --forecasts DIR');
}

function coverage(fetched: readonly Fetched[]): string {
  return fetched.map(({series}) => {
    const first = series.points[0];
    const last = series.points[series.points.length - 1];
    return first === undefined || last === undefined ?
      `${series.zone} nothing` :
      `${series.zone} ${iso(first.startMs)} to ` +
        `${iso(last.startMs + last.durationMs)}`;
  }).join(', ') || 'nothing';
}

function iso(instantMs: number): string {
  return new Date(instantMs).toISOString().replace('.000Z', 'Z');
}

function hours(durationMs: number): string {
  return `${Math.round(durationMs / HOUR_MS * 100) / 100} h`;
}
