/**
 * The world map the dashboard draws regions on: Natural Earth country
 * outlines (world-atlas, 1:110m), converted from TopoJSON to GeoJSON once
 * per process so the page needs no converter.
 */
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';

import {feature} from 'topojson-client';
import type {GeometryCollection, Topology} from 'topojson-specification';

let cached: Promise<string> | undefined;

/** The countries as a GeoJSON FeatureCollection, serialised. */
export function worldGeoJson(): Promise<string> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const file = require.resolve('world-atlas/countries-110m.json');
    const topology = JSON.parse(await readFile(file, 'utf8')) as Topology<{
      countries: GeometryCollection;
    }>;
    return JSON.stringify(feature(topology, topology.objects.countries));
  })();
  return cached;
}
