/**
 * The price table behind `costWeight`: hourly accelerator prices and
 * dataset egress prices per region, read from data/prices/prices.csv
 * (or a file of the same shape). A price the table lacks is null.
 */
import {readFileSync} from 'node:fs';

import {findColumn, parseCsvTable} from '../data/csv.js';
import {dataFilePath} from '../data/data-paths.js';
import {PlannerInputError} from './planner-errors.js';

/** The shipped price table. */
export const PRICE_TABLE_PATH = dataFilePath('prices', 'prices.csv');

/** Prices by region; null wherever the table has no row. */
export interface PriceTable {
  /** Where the prices came from (the file). */
  readonly source: string;
  /** Currency of every price, or null for an empty table. */
  readonly currency: string | null;
  /** Price of `count` accelerators of `type` for one hour. */
  acceleratorHourPrice(regionId: string, type: string, count: number):
    number | null;
  /** Price of moving one gigabyte out of the region to another region. */
  egressPricePerGigabyte(regionId: string): number | null;
}

const COLUMNS = ['kind', 'regionId', 'item', 'price', 'currency', 'source'];

/**
 * Reads a price table.
 *
 * @throws PlannerInputError naming the file, row and column of a bad row
 */
export function loadPriceTable(path = PRICE_TABLE_PATH): PriceTable {
  const table = parseCsvTable(readFileSync(path, 'utf8'), {sourceName: path});
  const columns = COLUMNS.map((wanted) => {
    const column = findColumn(table.columns, wanted);
    if (column === undefined) {
      throw new PlannerInputError(`${path}: header`, `column ${wanted} ` +
        'is missing', COLUMNS.join(','));
    }
    return column;
  });
  const [kind, regionId, item, price, currency] = columns as string[];
  const prices = new Map<string, number>();
  const currencies = new Set<string>();
  table.rows.forEach((row, position) => {
    const at = `${path}: row ${position + 2}`;
    const value = Number(row[price!]);
    if ((row[price!] ?? '').trim() === '' ||
      !(Number.isFinite(value) && value >= 0)) {
      throw new PlannerInputError(`${at}.price`,
        `"${row[price!]}" is not a price`, 'a number >= 0');
    }
    currencies.add(row[currency!] ?? '');
    prices.set(key(row[kind!] ?? '', row[regionId!] ?? '', row[item!] ?? ''),
      value);
  });
  if (currencies.size > 1) {
    throw new PlannerInputError(`${path}: currency`,
      `mixes ${[...currencies].join(', ')}`, 'one currency for every row');
  }
  return {
    source: path,
    currency: [...currencies][0] ?? null,
    acceleratorHourPrice: (region, type, count) => {
      const one = prices.get(key('accelerator-hour', region, type));
      return one === undefined ? null : one * count;
    },
    egressPricePerGigabyte: (region) =>
      prices.get(key('egress-gigabyte', region, 'inter-region')) ?? null,
  };
}

function key(kind: string, regionId: string, item: string): string {
  return `${kind}\u0000${regionId}\u0000${item}`;
}
