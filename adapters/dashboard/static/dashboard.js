// The dashboard page: draws the overview from /api/overview and a job's
// detail from /api/jobs/<id>, with ECharts served from this origin.
/* global echarts */
'use strict';

const charts = {};
const state = {regions: [], jobs: [], months: []};

// A value nobody measured is shown as missing, never as 0.
function show(value, unit) {
  if (value === null || value === undefined) return 'missing';
  return unit ? `${value} ${unit}` : String(value);
}

function rounded(value, digits) {
  if (value === null || value === undefined) return 'missing';
  return Number(value).toFixed(digits);
}

function chart(id) {
  charts[id] ??= echarts.init(document.getElementById(id), null,
    {renderer: 'canvas'});
  return charts[id];
}

function definitionList(entries) {
  const list = document.createElement('dl');
  for (const [term, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.field = term;
    list.append(dt, dd);
  }
  return list;
}

// Regions: the world map, the ranking and the detail of one region.

function intensityRange(regions) {
  const values = regions.map((r) => r.carbonIntensity)
    .filter((v) => v !== null);
  return {min: 0, max: Math.max(100, ...values)};
}

function drawWorldMap(regions) {
  const located = regions.filter((r) =>
    r.carbonIntensity !== null && r.latitude !== null &&
    r.longitude !== null);
  const range = intensityRange(regions);
  chart('world-map').setOption({
    tooltip: {
      formatter: (item) =>
        `${item.name}: ${show(item.value[2], 'gCO2e/kWh')}`,
    },
    visualMap: {
      min: range.min, max: range.max, dimension: 2, calculable: true,
      text: ['dirty', 'clean'], left: 10, bottom: 10,
      inRange: {color: ['#1a9850', '#fee08b', '#d73027']},
    },
    geo: {
      map: 'world', roam: true,
      boundingCoords: [[-170, 78], [190, -58]],
      itemStyle: {areaColor: '#e8ece6', borderColor: '#b8c2b4'},
      emphasis: {disabled: true},
    },
    series: [{
      name: 'regions', type: 'scatter', coordinateSystem: 'geo',
      symbolSize: 14,
      data: located.map((r) => ({
        name: r.region,
        value: [r.longitude, r.latitude, r.carbonIntensity],
      })),
    }],
  });
  chart('world-map').on('click', (item) => showRegion(item.name));
}

function drawRegionRanking(regions) {
  const ranked = regions.filter((r) => r.carbonIntensity !== null)
    .sort((a, b) => b.carbonIntensity - a.carbonIntensity);
  chart('region-ranking').setOption({
    grid: {left: 170, right: 30, top: 10, bottom: 30},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
    xAxis: {type: 'value', name: 'gCO2e/kWh'},
    yAxis: {type: 'category', data: ranked.map((r) => r.region),
      axisLabel: {fontSize: 10}},
    series: [{
      name: 'carbon intensity', type: 'bar',
      data: ranked.map((r) => r.carbonIntensity),
    }],
  });
  chart('region-ranking').on('click', (item) => showRegion(item.name));
  const without = regions.filter((r) => r.carbonIntensity === null);
  document.getElementById('regions-without-data').textContent =
    without.length === 0 ? '' : 'Without data: ' +
      without.map((r) => `${r.region} (${r.reason})`).join(', ');
}

function showRegion(name) {
  const region = state.regions.find((r) => r.region === name);
  if (!region) return;
  const mix = region.mix;
  const detail = document.getElementById('region-detail');
  detail.replaceChildren(definitionList([
    ['region', region.region],
    ['location', show(region.location)],
    ['grid zone', show(region.zone)],
    ['carbon intensity', show(region.carbonIntensity, 'gCO2e/kWh')],
    ['basis', show(region.basis)],
    ['source', show(region.provider)],
    ['Google CFE (yearly)', show(region.carbonFreeEnergyPercent, '%')],
    ['renewable', show(mix?.renewablePercent, '%')],
    ['low-carbon', show(mix?.lowCarbonPercent, '%')],
  ]));
  detail.dataset.region = region.region;
  const pieces = [];
  if (mix && mix.renewablePercent !== null && mix.lowCarbonPercent !== null) {
    pieces.push({name: 'renewable', value: mix.renewablePercent});
    pieces.push({name: 'other low-carbon',
      value: Math.max(0, mix.lowCarbonPercent - mix.renewablePercent)});
    pieces.push({name: 'fossil and other',
      value: Math.max(0, 100 - mix.lowCarbonPercent)});
  }
  chart('region-mix').setOption({
    title: pieces.length ? undefined :
      {text: 'no mix for this region', left: 'center', top: 'middle',
        textStyle: {fontSize: 13, color: '#5b6b5e'}},
    tooltip: {formatter: '{b}: {c} %'},
    series: [{type: 'pie', radius: ['35%', '65%'], data: pieces,
      color: ['#1a9850', '#91cf60', '#8c8c8c']}],
  }, true);
}

// Jobs: the table, savings per job, and one job's timeline.

function drawJobs(jobs) {
  const body = document.querySelector('#jobs tbody');
  body.replaceChildren(...jobs.map((job) => {
    const row = document.createElement('tr');
    row.dataset.jobId = job.jobId;
    const cells = [job.jobId, job.project, show(job.month),
      rounded(job.emissionsKg, 3), rounded(job.counterfactualEmissionsKg, 3),
      job.savedPercent === null ? 'missing' :
        `${rounded(job.savedPercent, 1)} %`];
    cells.forEach((text, index) => {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (index >= 3) cell.className = 'number';
      row.append(cell);
    });
    row.addEventListener('click', () => showJob(job.jobId));
    return row;
  }));
  chart('job-savings').setOption({
    legend: {top: 0},
    tooltip: {trigger: 'axis'},
    grid: {left: 60, right: 20, top: 30, bottom: 40},
    xAxis: {type: 'category', data: jobs.map((j) => j.jobId)},
    yAxis: {type: 'value', name: 'kgCO2e'},
    series: [
      {name: 'emitted', type: 'bar', data: jobs.map((j) => j.emissionsKg)},
      {name: 'at home, at once', type: 'bar',
        data: jobs.map((j) => j.counterfactualEmissionsKg)},
    ],
  });
}

async function showJob(jobId) {
  const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}`);
  const job = await response.json();
  document.querySelectorAll('#jobs tbody tr').forEach((row) =>
    row.classList.toggle('selected', row.dataset.jobId === jobId));
  const detail = document.getElementById('job-detail');
  detail.replaceChildren(definitionList([
    ['job', job.jobId],
    ['project', job.project],
    ['emitted', show(job.emissionsKg, 'kgCO2e')],
    ['at home, at once', show(job.counterfactualEmissionsKg, 'kgCO2e')],
    ['saved', show(job.savedPercent, '%')],
    ['segments', job.segments.map((s) =>
      `${s.region} ${s.start} to ${s.end}: ${show(s.energyKwh, 'kWh')}, ` +
      `${show(s.emissionsKg, 'kgCO2e')}`).join('; ') || 'none'],
    ['pauses', job.pauses.map((p) => `${p.start} to ${p.end}`)
      .join('; ') || 'none'],
  ]));
  detail.dataset.jobId = job.jobId;
  drawTimeline(job);
}

function drawTimeline(job) {
  const area = (segments, color) => ({
    silent: true, itemStyle: {color},
    data: segments.map((s) => [{xAxis: s.start, name: s.region},
      {xAxis: s.end}]),
  });
  const points = job.forecast?.points ?? [];
  chart('job-timeline').setOption({
    legend: {top: 0},
    tooltip: {trigger: 'axis'},
    grid: {left: 60, right: 20, top: 30, bottom: 40},
    xAxis: {type: 'time'},
    yAxis: {type: 'value', name: 'gCO2e/kWh'},
    series: [
      {name: `forecast (${job.forecast?.zone ?? 'none stored'})`,
        type: 'line', showSymbol: false, connectNulls: false,
        data: points.map((p) => [p.start, p.gramsPerKilowattHour])},
      {name: 'planned', type: 'line', data: [],
        markArea: area(job.plannedSegments, 'rgba(26,152,80,0.15)')},
      {name: 'ran', type: 'line', data: [],
        markArea: area(job.segments, 'rgba(31,77,44,0.35)')},
      {name: 'paused', type: 'line', data: [],
        markArea: area(job.pauses.map((p) => ({...p, region: 'paused'})),
          'rgba(215,48,39,0.12)')},
    ],
  }, true);
}

// Months: emissions per project and month against the budget.

function drawMonths(months) {
  const labels = months.map((m) => `${m.project} ${m.month}`);
  chart('monthly-budget').setOption({
    legend: {top: 0},
    tooltip: {trigger: 'axis'},
    grid: {left: 60, right: 20, top: 30, bottom: 40},
    xAxis: {type: 'category', data: labels},
    yAxis: {type: 'value', name: 'kgCO2e'},
    series: [
      {name: 'scope 2 emitted (what the budget counts)', type: 'bar',
        data: months.map((m) => m.scope2LocationBasedKg)},
      {name: 'total emitted (scope 2 + 3)', type: 'bar',
        data: months.map((m) => m.emissionsKg)},
      {name: 'at home, at once (total)', type: 'bar',
        data: months.map((m) => m.counterfactualEmissionsKg)},
      {name: 'budget', type: 'line', symbolSize: 12,
        data: months.map((m) => m.budgetKg)},
    ],
  });
}

async function load() {
  const [overview, world] = await Promise.all([
    fetch('/api/overview').then((r) => r.json()),
    fetch('/vendor/world.geo.json').then((r) => r.json()),
  ]);
  echarts.registerMap('world', world);
  Object.assign(state, overview);
  document.getElementById('as-of').textContent =
    `Grid as of ${overview.asOf}; ${overview.regions.length} regions, ` +
    `${overview.jobs.length} jobs.`;
  drawWorldMap(overview.regions);
  drawRegionRanking(overview.regions);
  drawJobs(overview.jobs);
  drawMonths(overview.months);
  document.body.dataset.ready = 'true';
}

window.addEventListener('resize', () =>
  Object.values(charts).forEach((c) => c.resize()));
window.dashboard = {charts, state, showRegion, showJob};
load().catch((error) => {
  document.getElementById('as-of').textContent =
    `Could not load the data: ${error.message}`;
  document.body.dataset.ready = 'error';
});
