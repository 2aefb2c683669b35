import { GROUP_SETS } from '../indicators/productGroups.js';
import { noteInChinese } from '../report/notesZh.js';
import { overviewCards } from '../report/overviewCards.js';
import { namedRows, nameProse, reportNames } from '../report/economyNames.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type ExcelJS from 'exceljs';
import { excelJs } from '../util/lazyModules.js';
import type { Row, Store } from '../store/store.js';
import { INDICATORS } from '../indicators/registry.js';
import { formatRows } from '../report/tableOutput.js';
import { buildReport } from '../report/reportModel.js';
import { measureCounts, measureTimeline } from '../measures/measureQueries.js';
import { riskList } from '../risk/riskList.js';
import { readRiskConfig } from '../risk/riskConfig.js';
import { packageRoot } from '../util/paths.js';
import { ApiError, checkParams, computeRequest, outputChoice } from './apiRequest.js';
import { openApiDocument } from './openApi.js';
import { SessionPool, type StoreSource } from './sessionPool.js';
import { parseYears } from '../core/inputs.js';
import { parseIso3, type Iso3 } from '../core/index.js';
import { parameterSpec } from '../indicators/paramSchema.js';
import { cellLabels, columnLabels, presentTable } from '../report/tablePresentation.js';

/** Settings of the dashboard server. */
export interface DashboardOptions {
  /** Required in requests (in the Authorization header only: Bearer TOKEN) when set. */
  token?: string;
  /**
   * Host names (without port) the server answers to; a request whose Host
   * header names another is refused (DNS rebinding). Default: the loopback names.
   */
  allowedHosts?: string[];
  /** Longest a store query may run before the request is answered 503 (ms). */
  queryTimeoutMs?: number;
  /** Computed answers kept in memory (the store does not change while serving). */
  cacheEntries?: number;
  /** At most this many bytes of computed answers in memory. */
  cacheBytes?: number;
  /** Requests answered side by side, each on its own store session (default: 4, or fewer cores). */
  sessions?: number;
}

const DEFAULT_SESSIONS = Math.max(1, Math.min(4, availableParallelism()));

/** Returns what changes when a store file is written: its size and modification time (with its write-ahead log's). */
function storeFingerprint(path: string): string {
  return [path, `${path}.wal`]
    .map((f) => {
      const st = statSync(f, { throwIfNoEntry: false });
      return st ? `${st.size}:${st.mtimeMs}` : '-';
    })
    .join('/');
}

/** The names a loopback server answers to. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

/** Raised for an error whose text is internal (the database engine's): answered 500 without it. */
function isInternal(err: unknown): boolean {
  if (err instanceof ApiError) return false;
  const msg = String((err as Error)?.message ?? err);
  return (
    /\b(INTERNAL|Binder|Catalog|Parser|Conversion|Invalid Input|Out of Range|Constraint|Transaction|Serialization|Dependency|IO|Permission|Interrupt|Out of Memory|Not implemented) Error\b/.test(
      msg,
    ) || !(err instanceof Error)
  );
}

/** Returns the host name of a Host header, without its port, lower-cased. */
function hostName(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '');
}

interface Payload {
  /** A file of the page, not a computed answer (never cached). */
  static?: boolean;
  status: number;
  type: string;
  body: Buffer;
  filename?: string;
}

const MAX_URL = 4096;

/** What the server knows of one request's client while its answer is computed. */
interface ClientState {
  /** The client closed the connection before the answer was sent. */
  gone: boolean;
  /** The session its store work is running on now (an interrupt then stops it). */
  session?: Store;
}

/** The static files of the dashboard: its page and script, and the chart libraries from node_modules. */
function staticFiles(): Map<string, { path: string; type: string }> {
  const root = packageRoot();
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
  };
  const files = new Map<string, { path: string; type: string }>();
  for (const f of ['index.html', 'app.js', 'app.css'])
    files.set(`/${f === 'index.html' ? '' : f}`, { path: join(root, 'web', f), type: types[extname(f)] });
  files.set('/vendor/vega.min.js', {
    path: join(root, 'node_modules', 'vega', 'build', 'vega.min.js'),
    type: types['.js'],
  });
  files.set('/vendor/vega-lite.min.js', {
    path: join(root, 'node_modules', 'vega-lite', 'build', 'vega-lite.min.js'),
    type: types['.js'],
  });
  return files;
}

function json(value: unknown, status = 200): Payload {
  return { status, type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(value)) };
}

/** Returns rows as JSON, CSV (formula-safe cells) or an Excel workbook (text cells stay text). */
async function tablePayload(
  rows: Row[],
  notes: string[],
  format: 'json' | 'csv' | 'xlsx',
  name: string,
  extra: Record<string, unknown> = {},
  lang: 'en' | 'zh' = 'en',
  names: Record<string, string> = {},
): Promise<Payload> {
  if (format === 'csv')
    return {
      status: 200,
      type: 'text/csv; charset=utf-8',
      body: Buffer.from(`\ufeff${formatRows(rows, 'csv')}`),
      filename: `${name}.csv`,
    };
  if (format === 'xlsx') {
    const wb = new (await excelJs()).Workbook();
    const ws = wb.addWorksheet(name.slice(0, 31));
    const cols = rows.length ? Object.keys(rows[0]) : [];
    ws.addRow(cols);
    for (const r of rows) ws.addRow(cols.map((c) => (r[c] === undefined ? null : (r[c] as ExcelJS.CellValue))));
    if (notes.length) {
      const ns = wb.addWorksheet('notes');
      for (const n of notes) ns.addRow([n]);
    }
    return {
      status: 200,
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: Buffer.from(await wb.xlsx.writeBuffer()),
      filename: `${name}.xlsx`,
    };
  }
  // The Chinese page reads the notes in Chinese, as the report's notes.
  const shownNotes = lang === 'zh' ? notes.map(noteInChinese) : notes;
  return json({
    rows,
    notes: shownNotes,
    columns: columnLabels(rows, lang),
    cells: cellLabels(rows, lang, names),
    ...extra,
  });
}

/** Returns the economies' names in a language, by code (for the tables' cells). */
async function economyNames(store: Store, lang: 'en' | 'zh'): Promise<Record<string, string>> {
  return (await reportNames(store, lang)).economies;
}

function iso3Param(query: URLSearchParams, name: string, fallback: string): Iso3 {
  try {
    return parseIso3(query.get(name) ?? fallback, name);
  } catch (err) {
    throw new ApiError(400, (err as Error).message);
  }
}

function yearParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^\d{4}$/.test(v)) throw new ApiError(400, `${name} takes a year (YYYY), not '${v}'`);
  return Number(v);
}

function yearsParam(query: URLSearchParams): [number, number] | undefined {
  try {
    return parseYears(query.get('years') ?? undefined);
  } catch (err) {
    throw new ApiError(400, (err as Error).message.replace(/^--/, ''));
  }
}

/**
 * Returns an HTTP server for the dashboard and its read-only JSON API over
 * the store (GET only; every parameter checked against the registry; query
 * time, URL length and method limited; responses cached; an optional bearer
 * token). The store is given open, or as a way to open it: the server then
 * releases it when idle, so other processes can write it. Routes: / (the page), /api/indicators, /api/compute/{id},
 * /api/report, /api/measures, /api/measure-counts, /api/risk, /api/datasets,
 * /api/openapi.json.
 */
export function dashboardServer(source: StoreSource, o: DashboardOptions = {}): Server {
  // Static files are read once: never cached per address, so cache-busting parameters cost nothing.
  const files = new Map([...staticFiles()].map(([k, f]) => [k, { type: f.type, body: readFileSync(f.path) }]));
  const cache = new Map<string, Payload>();
  let cachedBytes = 0;
  const limit = o.cacheEntries ?? 500;
  const byteLimit = o.cacheBytes ?? 64 * 2 ** 20;
  const hosts = new Set((o.allowedHosts ?? LOOPBACK_HOSTS).map((h) => h.toLowerCase()));
  const timeout = o.queryTimeoutMs ?? 20_000;
  // A store released while idle may be written meanwhile (an import): answers cached before then are dropped.
  let storePath = 'open' in source ? undefined : source.path;
  let fingerprint: string | undefined;
  const dropOutdatedAnswers = () => {
    if (!storePath || storePath === ':memory:') return;
    const now = storeFingerprint(storePath);
    if (fingerprint !== undefined && now !== fingerprint) {
      cache.clear();
      cachedBytes = 0;
    }
    fingerprint = now;
  };
  const pool = new SessionPool(source, o.sessions ?? DEFAULT_SESSIONS, async (opened) => {
    storePath = opened.path;
    dropOutdatedAnswers();
  });
  // Identical requests arriving while the first is computed share its answer.
  const inFlight = new Map<string, Promise<Payload>>();

  /**
   * Runs store work on a session of its own (up to the pool's size at once,
   * the rest wait in arrival order), with a time limit; work whose client has
   * gone is skipped, or interrupted if running.
   */
  const onSession = async <T>(work: (session: Store) => Promise<T>, client?: ClientState): Promise<T> => {
    if (client?.gone) throw new ApiError(499, 'the client closed the connection');
    let session: Store;
    try {
      session = await pool.acquire();
    } catch (err) {
      if (/lock/i.test(String((err as Error)?.message))) {
        throw new ApiError(
          503,
          'the store is being written by another process (an import?): ask again when it has finished',
        );
      }
      throw err;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      if (client?.gone) throw new ApiError(499, 'the client closed the connection');
      if (client) client.session = session;
      const limitReached = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          session.interrupt();
          reject(new ApiError(503, `the query took longer than ${timeout / 1000} s and was stopped`));
        }, timeout);
      });
      const running = work(session);
      try {
        return await Promise.race([running, limitReached]);
      } finally {
        // The session goes back only when its statement has ended (an interrupted one ends quickly).
        await running.catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
      if (client) client.session = undefined;
      pool.release(session);
    }
  };

  const route = async (url: URL, client: ClientState): Promise<Payload> => {
    const serial = <T>(work: (session: Store) => Promise<T>): Promise<T> => onSession(work, client);
    const q = url.searchParams;
    const path = url.pathname;
    if (path === '/api/openapi.json') return json(openApiDocument());
    if (path === '/api/indicators') {
      checkParams(q, [], path);
      return json(
        INDICATORS.map((d) => ({
          id: d.id,
          name: d.name,
          formula: d.formula,
          unit: d.unit,
          needs: d.needs,
          reading: d.reading,
          reference: d.reference,
          params: d.params,
          // What the explorer needs to draw a control per parameter (the same specs as the CLI and the OpenAPI).
          parameters: d.params.map((name) => {
            const p = parameterSpec(name);
            return {
              name,
              kind: p.kind,
              choices: p.choices,
              fallback: p.fallback,
              label: p.label,
              description: p.description,
              // The product group sets a group parameter offers, named in both languages.
              ...(p.kind === 'group' ? { sets: GROUP_SETS.map((g) => ({ id: g.id, name: g.name })) } : {}),
            };
          }),
          headline: d.headline,
        })),
      );
    }
    const compute = /^\/api\/compute\/([a-z0-9-]+)$/.exec(path);
    if (compute) {
      const { indicator, params } = computeRequest(compute[1], q);
      const { format, lang } = outputChoice(q);
      const res = await serial((s) => indicator.compute(s, params));
      // Notes name economies and measures as the report's do.
      const names = await serial((s) => reportNames(s, lang));
      return tablePayload(
        res.rows,
        res.notes.map((n) => nameProse(n, names, lang)),
        format,
        indicator.id,
        { indicator: indicator.id, headline: indicator.headline },
        lang,
        names.economies,
      );
    }
    if (path === '/api/overview') {
      checkParams(q, ['lang', 'reporter', 'partner'], path);
      const { lang } = outputChoice(q);
      const model = await serial((s) =>
        buildReport(s, { reporter: iso3Param(q, 'reporter', 'CHN'), partner: iso3Param(q, 'partner', 'USA'), lang }),
      );
      return json({ title: model.title, generated: model.generated, cards: overviewCards(model) });
    }
    if (path === '/api/report') {
      checkParams(q, ['lang', 'reporter', 'partner', 'years'], path);
      const { lang } = outputChoice(q);
      const model = await serial((s) =>
        buildReport(s, {
          reporter: iso3Param(q, 'reporter', 'CHN'),
          partner: iso3Param(q, 'partner', 'USA'),
          years: yearsParam(q),
          lang,
        }),
      );
      // Each table also as the report's main text presents it; the reader's column names and cell labels of every
      // table's rows (which stay as computed).
      const rows = model.sections.flatMap((sec) => sec.tables.flatMap((t) => t.rows));
      const sections = model.sections.map((sec) => ({
        ...sec,
        tables: sec.tables.map((t) => ({ ...t, presented: presentTable(t, lang, model.names, 'main') })),
      }));
      return json({
        ...model,
        sections,
        columns: columnLabels(rows, lang),
        cells: cellLabels(rows, lang, model.names),
      });
    }
    if (path === '/api/measures' || path === '/api/measure-counts') {
      const allowed = [
        'lang',
        'format',
        'actor',
        'target',
        'from',
        'to',
        ...(path === '/api/measure-counts' ? ['by'] : []),
      ];
      checkParams(q, allowed, path);
      const { lang, format } = outputChoice(q);
      const filter = {
        actor: q.get('actor') === null ? undefined : iso3Param(q, 'actor', ''),
        target: q.get('target') === null ? undefined : iso3Param(q, 'target', ''),
        from: yearParam(q, 'from') === undefined ? undefined : `${q.get('from')}-01-01`,
        to: yearParam(q, 'to') === undefined ? undefined : `${q.get('to')}-12-31`,
      };
      if (path === '/api/measures')
        return tablePayload(
          await serial((s) => measureTimeline(s, filter, lang)),
          [],
          format,
          'measures',
          {},
          lang,
          await serial((s) => economyNames(s, lang)),
        );
      const by = q.get('by') ?? 'year';
      if (!['year', 'actor', 'instrument', 'field'].includes(by))
        throw new ApiError(400, 'by must be one of year, actor, instrument, field');
      return tablePayload(
        await serial((s) => measureCounts(s, by as 'year', filter, lang)),
        [],
        format,
        `measures-by-${by}`,
        {},
        lang,
        await serial((s) => economyNames(s, lang)),
      );
    }
    if (path === '/api/risk') {
      checkParams(q, ['lang', 'format', 'importer', 'supplier', 'year', 'top'], path);
      const { lang, format } = outputChoice(q);
      const top = Number(q.get('top') ?? '50');
      if (!(Number.isInteger(top) && top > 0 && top <= 1000))
        throw new ApiError(400, 'top takes a whole number from 1 to 1000');
      const res = await serial((s) =>
        riskList(
          s,
          {
            importer: iso3Param(q, 'importer', 'USA'),
            supplier: iso3Param(q, 'supplier', 'CHN'),
            year: yearParam(q, 'year'),
            allies: [],
            top,
            lang,
          },
          readRiskConfig(),
        ),
      );
      // Explanations and export controls read as prose: economies by name, measures by title; the settings line
      // in the reader's language (the workbook keeps the codes).
      const names = await serial((s) => reportNames(s, lang));
      const shown = format === 'json' ? namedRows(res.rows, names, lang) : res.rows;
      const settings = lang === 'zh' ? noteInChinese(`settings: ${res.settings}`) : res.settings;
      return tablePayload(
        shown,
        res.notes.map((n) => nameProse(n, names, lang)),
        format,
        'risk-list',
        { settings: nameProse(settings, names, lang) },
        lang,
        names.economies,
      );
    }
    if (path === '/api/datasets') {
      checkParams(q, ['format', 'lang'], path);
      const { format, lang } = outputChoice(q);
      const rows = await serial((s) =>
        s.all(
          `SELECT dataset_id AS id, source, kind, vintage, file_name, url, rows, year_min, year_max, strftime(imported_at, '%Y-%m-%d %H:%M') AS imported_at, notes FROM datasets ORDER BY dataset_id`,
        ),
      );
      return tablePayload(rows, [], format, 'datasets', {}, lang);
    }
    if (path === '/favicon.ico') return { status: 204, type: 'image/x-icon', body: Buffer.alloc(0) };
    const file = files.get(path);
    if (file) return { status: 200, type: file.type, body: file.body, static: true };
    throw new ApiError(404, `no such page or endpoint: ${path}`);
  };

  const authorised = (req: IncomingMessage): boolean => {
    if (!o.token) return true;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header);
    const wanted = Buffer.from(`Bearer ${o.token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  const send = (res: ServerResponse, p: Payload) => {
    const headers: Record<string, string> = {
      'content-type': p.type,
      'content-length': String(p.body.length),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store', // Vega compiles chart expressions with Function(), hence 'unsafe-eval' for scripts (all served from here).
      'content-security-policy':
        "default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'",
    };
    if (p.filename) headers['content-disposition'] = `attachment; filename="${p.filename}"`;
    res.writeHead(p.status, headers);
    res.end(p.body);
  };

  const server = createServer((req, res) => {
    const client: ClientState = { gone: false };
    res.on('close', () => {
      if (res.writableFinished) return;
      client.gone = true;
      client.session?.interrupt();
    });
    void (async () => {
      try {
        if (!hosts.has(hostName(req.headers.host)))
          throw new ApiError(421, `this server does not answer to the host '${hostName(req.headers.host)}'`);
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'the API is read-only: GET only');
        if ((req.url ?? '').length > MAX_URL) throw new ApiError(414, 'the request address is too long');
        const url = new URL(req.url ?? '/', 'http://localhost');
        // The page and its scripts hold no data: they load without the token and ask for it.
        const isPage = files.has(url.pathname);
        if (!isPage && !authorised(req)) throw new ApiError(401, 'a token is required (Authorization: Bearer TOKEN)');
        url.searchParams.sort();
        const key = `${url.pathname}?${url.searchParams}`;
        if (!isPage) dropOutdatedAnswers();
        let payload: Payload | undefined = cache.get(key);
        if (!payload) {
          const shared = inFlight.get(key);
          // A shared answer whose own client left (499) is computed again for this one.
          if (shared)
            payload = await shared.catch((err: unknown): Promise<Payload> =>
              err instanceof ApiError && err.status === 499 ? route(url, client) : Promise.reject(err),
            );
          else {
            const computing = route(url, client);
            inFlight.set(key, computing);
            try {
              payload = await computing;
            } finally {
              inFlight.delete(key);
            }
          }
          if (payload.status === 200 && !payload.static && payload.body.length <= byteLimit / 4) {
            while (cache.size && (cache.size >= limit || cachedBytes + payload.body.length > byteLimit)) {
              const oldest = cache.keys().next().value!;
              cachedBytes -= cache.get(oldest)!.body.length;
              cache.delete(oldest);
            }
            cache.set(key, payload);
            cachedBytes += payload.body.length;
          }
        }
        if (!client.gone) send(res, payload);
      } catch (err) {
        if (client.gone) return;
        if (isInternal(err)) {
          process.stderr.write(
            `decouple serve: internal error on ${req.url}: ${String((err as Error)?.message ?? err).split('\n')[0]}\n`,
          );
          send(res, json({ error: 'internal error: the answer could not be computed (see the server log)' }, 500));
          return;
        }
        const status = err instanceof ApiError ? err.status : 422;
        send(res, json({ error: (err as Error).message.split('\n')[0] }, status));
      }
    })();
  });
  server.on('close', () => pool.close());
  return server;
}
