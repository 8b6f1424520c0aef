import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { existsSync, statSync } from 'node:fs';
import { RandwireError } from '../core/errors.js';
import { join } from 'node:path';
import { dashboardServer, WEB_DIST } from '../server/serve.js';
import { findItems } from '../server/folders.js';
import { flagParser } from './flags.js';
import { parseNonNegativeInteger } from '../core/parse.js';
import { plural } from '../core/format.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function portFlag(text: string): number {
  const n = parseNonNegativeInteger(text);
  if (n > 65535) throw new Error('expected a port number 0-65535 (0: any free port).');
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(COMMANDS.serve.description)
    .argument('[dir]', 'folder to serve', '.')
    .option('--port <n>', 'port (0: any free port)', flagParser(portFlag), 8080)
    .option('--host <host>', 'address to listen on; anything but loopback makes the folder readable by your network', '127.0.0.1')
    .action(async (dir: string, flags: { port: number; host: string }) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RandwireError('serve', `${dir} is not a folder`);
      const items = findItems(dir);
      if (!items.length) throw new RandwireError('serve', `${dir} holds no run, results or sweep folder (looked two levels down)`);
      if (!existsSync(join(WEB_DIST, 'index.html')))
        throw new RandwireError('serve', `the dashboard is not built (${WEB_DIST} is missing); run npm run build:web`);
      const server = dashboardServer(dir, { anyHost: !LOOPBACK.has(flags.host) });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          reject(
            new RandwireError(
              'serve',
              e.code === 'EADDRINUSE'
                ? `port ${flags.port} is in use; choose another with --port`
                : `cannot listen on ${flags.host}:${flags.port}: ${e.message}`,
            ),
          ),
        );
        server.listen(flags.port, flags.host, resolve);
      });
      // Ready for Ctrl-C before the address is printed: whoever reads it may stop the server at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = (): void => {
          server.close(() => resolve());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const port = (server.address() as { port: number }).port;
      if (!LOOPBACK.has(flags.host))
        process.stderr.write(`note: listening on ${flags.host}, not loopback: anyone who can reach this machine can read ${dir}\n`);
      process.stdout.write(
        `serving ${plural(items.length, 'folder')} of ${dir} at http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}/ (Ctrl-C to stop)\n`,
      );
      await stopped;
    });
}
