import type { ProxyAgent } from 'undici';

// undici is loaded on the first request through a proxy: commands that download nothing start without it.
const agents = new Map<string, ProxyAgent>();

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}

/**
 * Returns whether NO_PROXY (comma-separated hosts, domains with or without a leading dot, host:port, or *) lists
 * the URL's host.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [name, p] = entry
        .toLowerCase()
        .replace(/^\*?\./, '.')
        .split(/:(?=\d+$)/);
      if (p && p !== port) return false;
      const bare = name.replace(/^\./, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}

/**
 * Returns the proxy the standard variables name for a URL (HTTPS_PROXY for https, HTTP_PROXY for http), unless
 * NO_PROXY lists its host.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = url.protocol === 'https:' ? variable(env, 'HTTPS_PROXY') : variable(env, 'HTTP_PROXY');
  if (!proxy || bypassesProxy(url, variable(env, 'NO_PROXY'))) return undefined;
  return proxy;
}

/**
 * Returns the response of an HTTP request, made through the proxy the standard
 * variables name (as curl and most tools do; Node's own fetch ignores them), or
 * directly when there is none or NO_PROXY lists the host.
 */
export async function httpFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const proxy = proxyFor(target);
  if (!proxy) return fetch(target, init);
  const undici = await import('undici');
  let agent = agents.get(proxy);
  if (!agent) agents.set(proxy, (agent = new undici.ProxyAgent(proxy)));
  return (await undici.fetch(target, { ...(init as object), dispatcher: agent })) as unknown as Response;
}
