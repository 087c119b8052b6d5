/**
 * Where the product's shipped data lives: the repository's own `data/`
 * folder, found from this module's location so it works from any working
 * directory.
 */
import {fileURLToPath} from 'node:url';

const DATA_ROOT_URL = new URL('../../data/', import.meta.url);

/** The absolute path of the shipped `data/` folder. */
export const DATA_DIRECTORY = fileURLToPath(DATA_ROOT_URL);

/**
 * The absolute path of a shipped data file.
 *
 * @param segments - the path below `data/`, e.g. `'regions', 'x.csv'`
 */
export function dataFilePath(...segments: string[]): string {
  return fileURLToPath(new URL(segments.join('/'), DATA_ROOT_URL));
}
