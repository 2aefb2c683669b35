import { setting } from '../../core/config.js';
import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { Store, defaultStorePath } from '../../store/store.js';
import { ensureBuiltins } from '../../measures/builtins.js';
import { dashboardServer, LOOPBACK_HOSTS } from '../../serve/dashboardServer.js';
import type { GlobalOptions } from '../context.js';
import { InvalidInputError } from '../../core/index.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Registers `serve`: the local dashboard and its read-only JSON API. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'a local web dashboard and read-only JSON API over the store (OpenAPI at /api/openapi.json); Ctrl-C stops it',
    )
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--token <token>',
      'require this bearer token (Authorization header) in every API request (default $DECOUPLE_TOKEN); required beyond loopback',
    )
    .option(
      '--sessions <n>',
      'requests computed side by side, each on its own store session (default 4, or the number of cores if fewer)',
    )
    .option(
      '--allow-host <names>',
      'comma-separated host names the server also answers to (besides loopback and --host), e.g. the name it is reached by on a network',
    )
    .action(
      async (
        opts: { port: string; host: string; token?: string; allowHost?: string; sessions?: string },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const port = Number(opts.port);
        if (!(Number.isInteger(port) && port >= 0 && port < 65536))
          throw new InvalidInputError(`--port takes a port number, not '${opts.port}'`);
        const sessions = opts.sessions === undefined ? undefined : Number(opts.sessions);
        if (sessions !== undefined && !(Number.isInteger(sessions) && sessions >= 1 && sessions <= 64))
          throw new InvalidInputError(`--sessions takes a whole number from 1 to 64, not '${opts.sessions}'`);
        const token = opts.token ?? setting('DECOUPLE_TOKEN');
        if (token !== undefined && token.trim().length < 8)
          throw new InvalidInputError('the token must have at least 8 characters (an empty token would mean none)');
        const loopback = LOOPBACK.has(opts.host);
        if (!loopback && !token) {
          throw new InvalidInputError(
            `listening on ${opts.host} needs a token (--token or $DECOUPLE_TOKEN): anyone who can reach the address could read the store`,
          );
        }
        const allowedHosts = [
          ...LOOPBACK_HOSTS,
          ...(loopback ? [] : [opts.host]),
          ...(opts.allowHost ?? '')
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean),
        ];
        // The built-in facts are written once; the server itself opens the store read-only.
        const path = defaultStorePath(g.db);
        // If another process holds the store (another server, an import), the facts already in it are served.
        let writer: Store | undefined;
        try {
          writer = await Store.open(path);
        } catch (err) {
          if (!/lock/i.test((err as Error).message)) throw err;
          process.stderr.write(
            `decouple serve: the store is in use by another process; serving it as it is (built-in facts not refreshed)\n`,
          );
        }
        if (writer) {
          await ensureBuiltins(writer);
          writer.close();
        }
        // Opened read-only for the requests and released after a second without any, so that an import can
        // write the file between requests; answers cached before such an import are dropped.
        const server = dashboardServer(
          { open: () => Store.open(path, { readOnly: true }), releaseAfterMs: 1000 },
          { token: token?.trim(), allowedHosts, sessions },
        );
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, opts.host, () => resolve());
        });
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        process.stdout.write(
          `Dashboard: http://${host}:${address.port}/${token ? ' (the page asks for the token)' : ''}\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => server.close(() => resolve());
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          server.closeIdleConnections?.();
        });
      },
    );
}
