/**
 * Debian's Chromium driven headless by playwright-core (its own browser
 * downloads cannot run here). Every request that leaves 127.0.0.1 is
 * aborted and recorded, so a test can fail on any.
 */
import {existsSync} from 'node:fs';

import {chromium, type Browser, type Page} from 'playwright-core';

const CHROMIUM_PATHS = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter((path): path is string => typeof path === 'string');

/** The Chromium executable, or a clear error naming how to install it. */
export function chromiumPath(): string {
  const found = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      'Chromium was not found (looked at ' + CHROMIUM_PATHS.join(', ') +
        '); install it with `apt-get install -y chromium` or set ' +
        'CHROMIUM_PATH',
    );
  }
  return found;
}

/** A page whose off-loopback requests are refused and listed. */
export interface LoopbackPage {
  readonly browser: Browser;
  readonly page: Page;
  /** URLs that tried to leave 127.0.0.1. */
  readonly externalRequests: string[];
  /** Errors thrown by the page's scripts. */
  readonly pageErrors: string[];
}

export async function openLoopbackPage(): Promise<LoopbackPage> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({viewport: {width: 1400, height: 1800}});
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    externalRequests.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {browser, page, externalRequests, pageErrors};
}
