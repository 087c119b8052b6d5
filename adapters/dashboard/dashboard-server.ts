/**
 * Serves the dashboard on loopback: one page, its script and style, the
 * chart library and world map from node_modules (nothing from a CDN), and
 * a small JSON API over a DashboardData source.
 */
import {readFile} from 'node:fs/promises';
import {createServer, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

import type {DashboardData} from '../../shared/ports/dashboard-data.js';
import type {Logger} from '../../shared/ports/logger.js';
import {worldGeoJson} from './world-geojson.js';

const STATIC_DIRECTORY = new URL('./static/', import.meta.url);

const STATIC_FILES: Readonly<Record<string, [string, string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
  '/dashboard.css': ['dashboard.css', 'text/css; charset=utf-8'],
};

/** A running dashboard. */
export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Options of `startDashboardServer`. */
export interface DashboardServerOptions {
  readonly data: DashboardData;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly logger?: Logger;
}

/** Starts the dashboard; resolves once it listens. */
export async function startDashboardServer(
  options: DashboardServerOptions,
): Promise<DashboardServer> {
  const require = createRequire(import.meta.url);
  const chartLibrary = require.resolve('echarts/dist/echarts.min.js');
  const host = options.host ?? '127.0.0.1';

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    handle(url, response).catch((error: unknown) => {
      options.logger?.log('ERROR', 'dashboard request failed', {
        path: url.pathname,
        error: (error as Error).message,
      });
      sendJson(response, 500, {error: (error as Error).message});
    });
  });

  async function handle(url: URL, response: ServerResponse): Promise<void> {
    const path = url.pathname;
    const staticFile = STATIC_FILES[path];
    if (staticFile) {
      const [name, type] = staticFile;
      const body = await readFile(fileURLToPath(
        new URL(name, STATIC_DIRECTORY)));
      return send(response, 200, type, body);
    }
    if (path === '/vendor/echarts.min.js') {
      return send(response, 200, 'text/javascript; charset=utf-8',
        await readFile(chartLibrary));
    }
    if (path === '/vendor/world.geo.json') {
      return send(response, 200, 'application/json', await worldGeoJson());
    }
    if (path === '/api/overview') {
      const [regions, jobs, months] = await Promise.all([
        options.data.regions(),
        options.data.jobs(),
        options.data.months(),
      ]);
      return sendJson(response, 200,
        {asOf: options.data.asOf, regions, jobs, months});
    }
    const jobMatch = /^\/api\/jobs\/([^/]+)$/.exec(path);
    if (jobMatch) {
      const job = await options.data.job(decodeURIComponent(jobMatch[1]!));
      return job === undefined
        ? sendJson(response, 404, {error: `no job ${jobMatch[1]}`})
        : sendJson(response, 200, job);
    }
    sendJson(response, 404, {error: `nothing at ${path}`});
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
): void {
  send(response, status, 'application/json', JSON.stringify(value));
}
