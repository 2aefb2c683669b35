import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { Store, defaultStorePath } from '../../store/store.js';
import { ensureBuiltins } from '../../reference/builtins.js';
import { dashboardServer } from '../../serve/dashboardServer.js';
import { note, type GlobalOptions } from '../context.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Registers `serve`: the local dashboard and its read-only JSON API. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('a local web dashboard and read-only JSON API over the store (OpenAPI at /api/openapi.json); Ctrl-C stops it')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'require this bearer token in every request (default $DECOUPLE_TOKEN); advised beyond loopback')
    .action(async (opts: { port: string; host: string; token?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const port = Number(opts.port);
      if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`--port takes a port number, not '${opts.port}'`);
      const token = opts.token ?? process.env.DECOUPLE_TOKEN;
      if (!LOOPBACK.has(opts.host) && !token) note(`warning: listening on ${opts.host} without --token: anyone who can reach it can read the store`);
      const store = await Store.open(defaultStorePath(g.db));
      await ensureBuiltins(store);
      const server = dashboardServer(store, { token });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, opts.host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      process.stdout.write(`Dashboard: http://${host}:${address.port}/${token ? '?token=…' : ''}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        server.closeIdleConnections?.();
      });
      store.close();
    });
}
