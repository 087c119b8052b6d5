import type {RegionCatalog} from '../../shared/catalog/region-catalog.js';

/**
 * The region catalog built on its first use (reading and joining the
 * shipped files), not when a function's ports are built, so an event
 * refused before it looks up a region never pays for it.
 *
 * @param build - builds (or returns the kept) catalog, synchronously
 */
export function lazyRegionCatalog(build: () => RegionCatalog): RegionCatalog {
  let built: RegionCatalog | undefined;
  const catalog = (): RegionCatalog => (built ??= build());
  return {
    get regions() {
      return catalog().regions;
    },
    get: (id) => catalog().get(id),
    require: (id) => catalog().require(id),
    regionsInZone: (zone) => catalog().regionsInZone(zone),
  };
}
