import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { Store, defaultStorePath } from '../../store/store.js';
import { ensureBuiltins } from '../../reference/builtins.js';
import { dashboardServer, LOOPBACK_HOSTS } from '../../serve/dashboardServer.js';
import { usageError, type GlobalOptions } from '../context.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Registers `serve`: the local dashboard and its read-only JSON API. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('a local web dashboard and read-only JSON API over the store (OpenAPI at /api/openapi.json); Ctrl-C stops it')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'require this bearer token (Authorization header) in every API request (default $DECOUPLE_TOKEN); required beyond loopback')
    .option('--allow-host <names>', 'comma-separated host names the server also answers to (besides loopback and --host), e.g. the name it is reached by on a network')
    .action(async (opts: { port: string; host: string; token?: string; allowHost?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const port = Number(opts.port);
      if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw usageError(`--port takes a port number, not '${opts.port}'`);
      const token = opts.token ?? process.env.DECOUPLE_TOKEN;
      if (token !== undefined && token.trim().length < 8) throw usageError('the token must have at least 8 characters (an empty token would mean none)');
      const loopback = LOOPBACK.has(opts.host);
      if (!loopback && !token) {
        throw usageError(`listening on ${opts.host} needs a token (--token or $DECOUPLE_TOKEN): anyone who can reach the address could read the store`);
      }
      const allowedHosts = [...LOOPBACK_HOSTS, ...(loopback ? [] : [opts.host]), ...(opts.allowHost ?? '').split(',').map((h) => h.trim()).filter(Boolean)];
      // The built-in facts are written once; the server itself opens the store read-only.
      const path = defaultStorePath(g.db);
      const writer = await Store.open(path);
      await ensureBuiltins(writer);
      writer.close();
      const store = await Store.open(path, { readOnly: true });
      const server = dashboardServer(store, { token: token?.trim(), allowedHosts });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, opts.host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      process.stdout.write(`Dashboard: http://${host}:${address.port}/${token ? ' (the page asks for the token)' : ''}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        server.closeIdleConnections?.();
      });
      store.close();
    });
}
