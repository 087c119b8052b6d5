import type {Command} from 'commander';

import {startDashboardServer} from '../adapters/dashboard/dashboard-server.js';
import {createLocalDashboardData} from
  '../adapters/dashboard/local-dashboard-data.js';
import {readLocalPorts} from '../adapters/local/local-ports.js';
import {parseInstantWithOffset} from '../shared/time/instant.js';
import {CommandFailure} from './command-failure.js';
import {resolveRunDirectory} from './run-directory.js';

interface DashboardOptionValues {
  readonly port: string;
  readonly runDir?: string;
  readonly at: string;
  readonly json?: boolean;
}

/** `carbon-scheduler dashboard`: the page over a local run's ledger. */
export function registerDashboardCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('dashboard')
    .description(
      'Serves a page on 127.0.0.1: regions ranked by intensity with their ' +
        'mix and a world map, each job\'s forecast, window, segments and ' +
        'pauses, and savings per job and month against the budget.')
    .option('--port <port>', 'port to listen on (0: any free port; ' +
      'default: firebase.json emulators.dashboard)',
      String(readLocalPorts().dashboard.port))
    .option('--run-dir <folder>',
      'the run folder to show (default: the newest under .local/runs)')
    .option('--at <instant>',
      'the instant the region ranking shows (recorded data: 2021-2022)',
      '2022-06-14T00:00:00Z')
    .option('--json', 'print {url, runDirectory} as JSON once listening')
    .addHelpText('after', '\nExample:\n  npm run demo && ' +
      'npx carbon-scheduler dashboard --port 8787\n')
    .action(async (raw: DashboardOptionValues) => {
      // Step 1: the options, each told as the flag and what to give.
      const port = Number(raw.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CommandFailure('invalid-option', `--port: "${raw.port}" ` +
          'is not a port; give a whole number from 0 to 65535');
      }
      const atMs = parseInstantWithOffset(raw.at);
      if (atMs === null) {
        throw new CommandFailure('invalid-option', `--at: "${raw.at}" is ` +
          'not an RFC 3339 instant with an offset, e.g. ' +
          '2022-06-14T00:00:00Z');
      }
      const runDirectory = resolveRunDirectory(raw.runDir);

      // Step 2: serve.
      let server: Awaited<ReturnType<typeof startDashboardServer>>;
      try {
        server = await startDashboardServer({
          data: createLocalDashboardData({runDirectory, atMs}),
          port,
          host: readLocalPorts().dashboard.host,
        });
      } catch (error) {
        if ((error as {code?: string}).code !== 'EADDRINUSE') throw error;
        throw new CommandFailure('port-in-use', `--port: ${port} is ` +
          'already in use (another dashboard?); give another port, or ' +
          '--port 0 for any free one');
      }
      process.stdout.write(raw.json
        ? JSON.stringify({url: server.url, runDirectory}) + '\n'
        : `Dashboard of ${runDirectory} at ${server.url} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
