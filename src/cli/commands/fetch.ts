import { setting, settingOrDefault } from '../../core/config.js';
import type { Command } from 'commander';
import { download, mirrorPath, type DownloadOptions } from '../../files/download.js';
import { httpFetch } from '../../files/proxy.js';
import { federalRegisterUrl, nextPageUrl, SOURCES, sourcesTable } from '../../fetch/sources.js';
import { importFederalRegister } from '../../ingest/federalRegister.js';
import { importScreeningList } from '../../ingest/screeningList.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { bilateralSources, type Channel } from '../../indicators/bilateralShare.js';
import type { Flow } from '../../indicators/params.js';
import type { Store } from '../../store/store.js';
import type { ImportOutcome } from '../../ingest/importRun.js';
import { parseDate, parseYears } from '../../core/inputs.js';
import { countProgress } from '../../util/progress.js';
import {
  CallBudget,
  COMTRADE_API,
  comtradeCodes,
  planComtradeCalls,
  runComtradeCalls,
  type ComtradeRequest,
} from '../../fetch/comtradeFetch.js';
import { apiKey } from '../../fetch/apiKeys.js';
import { importComtrade } from '../../ingest/comtrade.js';
import { importBaci } from '../../ingest/baci.js';
import { baciUrl, latestBaciRelease, verifyBaciArchive } from '../../fetch/baciFetch.js';
import { censusUrls, fetchCensusMonths } from '../../fetch/censusFetch.js';
import { importCensus } from '../../ingest/census.js';
import { installPacks, packResultRows, PACKS, selectPacks } from '../../reference/packs.js';
import { readHeadingReferences, usitcExportUrl, writeHeadingList } from '../../fetch/usitcFetch.js';
import { importTariffs } from '../../ingest/tariffs.js';
import { BEA_INDICATORS, beaUrls, fetchBeaTable } from '../../fetch/beaFetch.js';
import { importBea } from '../../ingest/bea.js';
import { imtsUrl, SDMX_CSV } from '../../fetch/imfFetch.js';
import { importDots } from '../../ingest/dots.js';
import { parseCountryMappings } from '../../countries/codeMap.js';
import { InvalidInputError } from '../../core/index.js';
import { lastDatasetId, recordFetchRequest } from '../../fetch/fetchRequests.js';

interface FetchOptions {
  mirror?: string;
  dryRun?: boolean;
}

/** Records where the datasets of a fetch came from (the import saw only a local file). */
async function recordUrl(store: Store, outcomes: ImportOutcome[], url: string): Promise<void> {
  for (const o of outcomes)
    if (o.dataset_id > 0) await store.run(`UPDATE datasets SET url = ? WHERE dataset_id = ?`, [url, o.dataset_id]);
}

function downloadOptions(o: FetchOptions): DownloadOptions {
  return { mirror: o.mirror, log: (l) => note(l) };
}

/** Options a repeated fetch leaves out: where it read from, whether it ran, and secrets. */
const NOT_REPEATED = new Set(['mirror', 'dryRun', 'key']);

/** Returns the arguments that repeat a fetch subcommand as it was given (its options and positional arguments). */
export function repeatableArgs(cmd: Command): string[] {
  const values = cmd.opts<Record<string, unknown>>();
  const out: string[] = [];
  for (const o of cmd.options) {
    const name = o.attributeName();
    const v = values[name];
    if (NOT_REPEATED.has(name) || v === undefined || v === false || !o.long) continue;
    if (v === true) out.push(o.long);
    else out.push(o.long, Array.isArray(v) ? v.join(',') : String(v));
  }
  return [...out, ...cmd.args];
}

/** Registers `sources` and `fetch` (screening list, Federal Register). */
export function registerFetchCommands(program: Command): void {
  program
    .command('sources')
    .description(
      "each data source: official URL, documentation, terms, how to get it, when it was last imported here; with --for, every loaded dataset's value of one flow, year by year and basis by basis, and the one bilateral-share takes (chosen)",
    )
    .option(
      '--for <R:P[:FLOW]>',
      'reporter and partner (ISO3), and export, import or total (default export), e.g. USA:CHN:import',
    )
    .option('--channel <goods|services>', 'with --for: goods or services', 'goods')
    .option('--years <A-B>', 'with --for: year range')
    .action(async (opts: { for?: string; channel: string; years?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (!opts.for) return withStore(g, async (store) => printRows(await sourcesTable(store), g));
      const m = /^([A-Za-z]{3}):([A-Za-z]{3})(?::(export|import|total))?$/.exec(opts.for);
      if (!m)
        throw new InvalidInputError(
          `--for takes REPORTER:PARTNER[:FLOW] with ISO3 codes, e.g. USA:CHN:import (not '${opts.for}')`,
        );
      if (opts.channel !== 'goods' && opts.channel !== 'services')
        throw new InvalidInputError(`--channel takes goods or services, not '${opts.channel}'`);
      const [reporter, partner] = [m[1].toUpperCase(), m[2].toUpperCase()];
      await withStore(g, async (store) => {
        const rows = await bilateralSources(store, {
          reporter,
          partner,
          flow: (m[3] ?? 'export') as Flow,
          channel: opts.channel as Channel,
          years: parseYears(opts.years),
        });
        if (!rows.length)
          throw new Error(
            `no loaded dataset holds ${reporter}'s trade with ${partner}${opts.years ? ` in ${opts.years}` : ''}`,
          );
        printRows(rows, g);
      });
    });

  const fetchCmd = program
    .command('fetch')
    .description('download a source (or read it from a local mirror) and import it');
  // Each finished fetch is recorded with its arguments (never keys or mirrors) and the datasets it brought, so
  // that decouple update can repeat it.
  let before = 0;
  fetchCmd.hook('preAction', async (_self, action) => {
    const o = action.opts<FetchOptions>();
    if (!o.dryRun) before = await withStore(action.optsWithGlobals<GlobalOptions>(), lastDatasetId);
  });
  fetchCmd.hook('postAction', async (_self, action) => {
    const o = action.opts<FetchOptions>();
    if (o.dryRun) return;
    await withStore(action.optsWithGlobals<GlobalOptions>(), (store) =>
      recordFetchRequest(store, action.name(), repeatableArgs(action), before),
    );
  });
  const common = (c: Command) =>
    c
      .option(
        '--mirror <dir>',
        "read from a local mirror with the sources' layout (host/path) instead of the network; default $DECOUPLE_MIRROR",
      )
      .option('--dry-run', 'say what would be downloaded, and do nothing');

  common(
    fetchCmd
      .command('screening-list')
      .description('the current Consolidated Screening List (CSV), imported as a snapshot'),
  )
    .option('--snapshot <YYYY-MM-DD>', "the snapshot's date (default: the server's Last-Modified date, else today)")
    .action(async (opts: FetchOptions & { snapshot?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const url = SOURCES.find((s) => s.id === 'screening-list')!.url;
      if (opts.dryRun) {
        process.stdout.write(`would download 1 file: ${url} (about 30 MB)\n`);
        return;
      }
      // The list is rebuilt continually: always ask the server, never the cache.
      const got = await download(url, { ...downloadOptions(opts), useCache: false });
      const snapshot =
        parseDate(opts.snapshot, '--snapshot') ??
        (got.lastModified
          ? new Date(got.lastModified).toISOString().slice(0, 10)
          : new Date().toISOString().slice(0, 10));
      note(`${url}: ${got.bytes} bytes from the ${got.from}; snapshot ${snapshot}`);
      await withStore(g, async (store) => {
        const outcomes = await importScreeningList(store, [got.path], { userMap: new Map(), snapshot });
        printRows(
          outcomes.map((o) => ({
            url,
            dataset_id: o.dataset_id,
            status: o.status,
            rows: o.rows,
            notes: o.notes.join('; '),
          })),
          g,
        );
      });
    });

  common(
    fetchCmd
      .command('federal-register')
      .description('Federal Register documents matching a term, page by page, imported'),
  )
    .requiredOption('--term <text>', 'search term, e.g. "entity list"')
    .requiredOption('--from <YYYY-MM-DD>', 'first publication date')
    .option('--to <YYYY-MM-DD>', 'last publication date')
    .action(async (opts: FetchOptions & { term: string; from: string; to?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const from = parseDate(opts.from, '--from')!;
      const to = parseDate(opts.to, '--to');
      let url: string | undefined = federalRegisterUrl(opts.term, from, to, 1);
      if (opts.dryRun) {
        process.stdout.write(
          `would call ${url}\nand follow next_page_url (1,000 documents a call) until the last page${opts.mirror ? `\nmirror file: ${mirrorPath(opts.mirror, url)}` : ''}\n`,
        );
        return;
      }
      const pages: string[] = [];
      while (url) {
        const got = await download(url, downloadOptions(opts));
        pages.push(got.path);
        note(`page ${pages.length}: ${got.bytes} bytes from the ${got.from}`);
        url = nextPageUrl(got.path);
      }
      await withStore(g, async (store) => {
        const outcomes = await importFederalRegister(store, pages, { userMap: new Map() });
        printRows(
          outcomes.map((o, i) => ({
            page: i + 1,
            dataset_id: o.dataset_id,
            status: o.status,
            rows: o.rows,
            notes: o.notes.join('; '),
          })),
          g,
        );
      });
    });

  common(
    fetchCmd
      .command('comtrade')
      .description(
        'the UN Comtrade API: split into calls under the per-call record limit, within the daily call budget, resumable; imported as one dataset when complete',
      ),
  )
    .requiredOption('--reporter <ISO3,...>', 'reporting economies')
    .option('--partner <ISO3,...|all>', 'partner economies, or all', 'all')
    .requiredOption('--years <A-B>', 'years')
    .option('--hs <digits>', 'product detail: 0 (totals), 2, 4 or 6', '0')
    .option('--flow <M,X>', 'imports (M), exports (X) or both', 'M,X')
    .option('--monthly', 'monthly data instead of annual')
    .option(
      '--key <key>',
      'subscription key (default $COMTRADE_KEY, else ~/.config/decoupling-monitor/keys.json "comtrade"); never printed',
    )
    .option('--max-rows <n>', 'records a call may return (free tier: 100000)', '100000')
    .option('--budget <n>', 'calls a day (free tier: 500)', '500')
    .action(
      async (
        opts: FetchOptions & {
          reporter: string;
          partner: string;
          years: string;
          hs: string;
          flow: string;
          monthly?: boolean;
          key?: string;
          maxRows: string;
          budget: string;
        },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const list = (v: string, what: string) =>
          v
            .split(',')
            .map((x) => x.trim().toUpperCase())
            .filter(Boolean)
            .map((x) => {
              if (!/^[A-Z]{3}$/.test(x)) throw new Error(`${what} takes ISO3 codes, not '${x}'`);
              return x;
            });
        const hs = Number(opts.hs);
        if (![0, 2, 4, 6].includes(hs)) throw new InvalidInputError(`--hs takes 0, 2, 4 or 6, not '${opts.hs}'`);
        const flows = opts.flow.split(',').map((f) => f.trim().toUpperCase());
        for (const f of flows)
          if (f !== 'M' && f !== 'X') throw new InvalidInputError(`--flow takes M, X or M,X, not '${opts.flow}'`);
        const positive = (v: string, what: string) => {
          const n = Number(v);
          if (!(Number.isInteger(n) && n > 0)) throw new Error(`${what} takes a positive whole number, not '${v}'`);
          return n;
        };
        const request: ComtradeRequest = {
          reporters: list(opts.reporter, '--reporter'),
          partners: opts.partner.toLowerCase() === 'all' ? 'all' : list(opts.partner, '--partner'),
          years: parseYears(opts.years)!,
          hs: hs as ComtradeRequest['hs'],
          flows: flows as ('M' | 'X')[],
          monthly: Boolean(opts.monthly),
          maxRows: positive(opts.maxRows, '--max-rows'),
          api: settingOrDefault('DECOUPLE_COMTRADE_API'),
        };
        const budget = new CallBudget(positive(opts.budget, '--budget'));
        await withStore(g, async (store) => {
          const reporters = await comtradeCodes(store, request.reporters);
          const universe = (
            await store.all(
              `SELECT DISTINCT iso3 FROM countries WHERE NOT is_aggregate AND iso_numeric IS NOT NULL ORDER BY iso3`,
            )
          ).map((r) => String(r.iso3));
          const allPartners = await comtradeCodes(store, universe);
          const partners = request.partners === 'all' ? allPartners : await comtradeCodes(store, request.partners);
          const level = await store.one(`SELECT count(DISTINCT code) AS n FROM products WHERE level = ?`, [hs]);
          const products = hs === 0 ? 1 : Math.max(1, Number(level?.n ?? 0)) || { 2: 97, 4: 1229, 6: 5613 }[hs]!;
          const calls = planComtradeCalls(
            request,
            { reporters, partners, allPartners: request.partners === 'all' },
            products,
          );
          if (opts.dryRun) {
            process.stdout.write(
              `would make ${calls.length} calls (each at most ${request.maxRows} records, ${products} products × partners), ${budget.left()} of ${budget.perDay} left today${calls.length > budget.left() ? `: about ${Math.ceil((calls.length - budget.left()) / budget.perDay)} more day(s)` : ''}\nfirst call: ${calls[0]?.url}\n`,
            );
            return;
          }
          const key = apiKey('comtrade', opts.key, 'COMTRADE_KEY');
          if (!key && !(opts.mirror ?? setting('DECOUPLE_MIRROR')))
            note('no subscription key (--key, $COMTRADE_KEY or the keys file): the API may refuse the calls');
          const bar = countProgress('UN Comtrade API', 'calls');
          const result = await runComtradeCalls(calls, request, allPartners, budget, {
            ...downloadOptions(opts),
            progress: false,
            key,
            onCall: bar.update,
          }).finally(bar.stop);
          if (!result.complete) {
            throw new Error(
              `the daily budget of ${budget.perDay} calls is used: ${result.remaining} of ${result.calls} calls left (${result.downloaded} downloaded now, ${result.fromCache} from the cache); nothing was imported. Run the same command again after 00:00 UTC to resume`,
            );
          }
          note(
            `${result.calls} calls (${result.downloaded} downloaded, ${result.fromCache} from the cache or mirror, ${result.splits} split at the record limit): ${result.records} records`,
          );
          const outcomes = await importComtrade(store, [result.merged!], { userMap: new Map() });
          for (const o of outcomes) {
            if (o.dataset_id > 0)
              await store.run(`UPDATE datasets SET url = ?, notes = concat_ws('; ', notes, ?) WHERE dataset_id = ?`, [
                `${COMTRADE_API}/${request.monthly ? 'M' : 'A'}/HS`,
                `fetched from the UN Comtrade API in ${result.calls} calls on ${new Date().toISOString().slice(0, 10)}`,
                o.dataset_id,
              ]);
          }
          printRows(
            outcomes.map((o) => ({
              dataset_id: o.dataset_id,
              status: o.status,
              rows: o.rows,
              calls: result.calls,
              notes: o.notes.join('; '),
            })),
            g,
          );
        });
      },
    );

  common(
    fetchCmd
      .command('baci')
      .description('a CEPII BACI release archive (one HS revision), verified and imported year by year'),
  )
    .option('--hs <revision>', 'HS revision: HS92, HS96, HS02, HS07, HS12, HS17, HS22', 'HS17')
    .option('--release <VYYYYMM|latest>', 'release, e.g. V202501; latest probes the newest that exists', 'latest')
    .option('--years <A-B>', 'only these years of the archive')
    .action(async (opts: FetchOptions & { hs: string; release: string; years?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const hs = opts.hs.toUpperCase();
      const base = settingOrDefault('DECOUPLE_BACI_BASE');
      const mirror = opts.mirror ?? setting('DECOUPLE_MIRROR');
      const release = opts.release === 'latest' ? await latestBaciRelease(hs, mirror, base) : opts.release;
      const url = baciUrl(hs, release, base);
      const years = parseYears(opts.years);
      if (opts.dryRun) {
        let size = '';
        if (!mirror) {
          const head = await httpFetch(url, { method: 'HEAD', signal: AbortSignal.timeout(30_000) }).catch(
            () => undefined,
          );
          const n = Number(head?.headers.get('content-length') ?? NaN);
          if (Number.isFinite(n)) size = ` (${(n / 1e9).toFixed(2)} GB)`;
        }
        process.stdout.write(
          `would download 1 archive: ${url}${size}${mirror ? ` from the mirror ${mirrorPath(mirror, url)}` : ''}, then import ${years ? `the years ${years[0]}-${years[1]}` : 'every year in it'}\n`,
        );
        return;
      }
      const got = await download(url, downloadOptions(opts));
      note(`${url}: ${got.bytes} bytes from the ${got.from}`);
      await verifyBaciArchive(got.path, got.from !== 'mirror');
      await withStore(g, async (store) => {
        const outcomes = await importBaci(store, [got.path], { userMap: new Map(), hs, release, years });
        await recordUrl(store, outcomes, url);
        printRows(
          outcomes.map((o) => ({
            dataset_id: o.dataset_id,
            file: o.file,
            status: o.status,
            rows: o.rows,
            notes: o.notes.join('; '),
          })),
          g,
        );
      });
    });

  common(
    fetchCmd
      .command('census')
      .description(
        'US imports for consumption from the Census international trade API, month by month, imported as one dataset',
      ),
  )
    .requiredOption('--years <A-B>', 'years (every month of each)')
    .option('--hs <digits>', 'commodity detail: 2, 4, 6 or 10', '6')
    .option('--country <codes>', 'only these partners: Census codes (5700) or ISO3 codes (CHN), comma-separated')
    .action(async (opts: FetchOptions & { years: string; hs: string; country?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const level = Number(opts.hs);
      if (![2, 4, 6, 10].includes(level)) throw new InvalidInputError(`--hs takes 2, 4, 6 or 10, not '${opts.hs}'`);
      const years = parseYears(opts.years)!;
      await withStore(g, async (store) => {
        const countries: string[] = [];
        for (const c of (opts.country ?? '')
          .split(',')
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean)) {
          if (/^\d{4}$/.test(c)) countries.push(c);
          else if (/^[A-Z]{3}$/.test(c)) {
            const row = await store.one(
              `SELECT code FROM country_codes WHERE system = 'census' AND iso3 = ? ORDER BY code LIMIT 1`,
              [c],
            );
            if (!row)
              throw new InvalidInputError(
                `--country: no Census code for ${c} (install the census-codes pack with decouple setup, or give the 4-digit Census code)`,
              );
            countries.push(String(row.code));
          } else throw new InvalidInputError(`--country takes Census codes or ISO3 codes, not '${c}'`);
        }
        const urls = censusUrls(years, level as 2 | 4 | 6 | 10, countries, settingOrDefault('DECOUPLE_CENSUS_API'));
        if (opts.dryRun) {
          process.stdout.write(
            `would make ${urls.length} calls (one per month${countries.length ? ' and country' : ''}), e.g. ${urls[0]}\n`,
          );
          return;
        }
        const bar = countProgress('Census trade API', 'calls');
        const r = await fetchCensusMonths(urls, {
          ...downloadOptions(opts),
          progress: false,
          onCall: bar.update,
        }).finally(bar.stop);
        if (r.rows === 0)
          throw new Error(
            `the API has no data for ${years[0]}-${years[1]} (${r.emptyMonths} empty months); nothing was imported`,
          );
        note(
          `${urls.length} calls (${r.downloaded} downloaded, the rest from the cache or mirror): ${r.rows} rows${r.emptyMonths ? `, ${r.emptyMonths} months without data` : ''}`,
        );
        const outcomes = await importCensus(store, [r.merged], { userMap: new Map() });
        await recordUrl(store, outcomes, settingOrDefault('DECOUPLE_CENSUS_API'));
        printRows(
          outcomes.map((o) => ({
            dataset_id: o.dataset_id,
            status: o.status,
            rows: o.rows,
            calls: urls.length,
            notes: o.notes.join('; '),
          })),
          g,
        );
      });
    });

  common(
    fetchCmd
      .command('bea')
      .description(
        'US trade in goods and services by partner from the BEA data API (dataset ITA), imported as one dataset',
      ),
  )
    .option(
      '--country <areas>',
      'BEA areas (AreaOrCountry values), comma-separated; AllCountries is the total',
      'AllCountries,China',
    )
    .option(
      '--indicator <codes>',
      `ITA indicators, comma-separated (${Object.keys(BEA_INDICATORS).join(', ')})`,
      'ExpGds,ImpGds,ExpServ,ImpServ',
    )
    .option('--quarterly', 'quarterly, seasonally adjusted (QSA), instead of annual')
    .option('--years <A-B>', 'years (default all)')
    .option(
      '--key <key>',
      'BEA API UserID (default $BEA_KEY, else ~/.config/decoupling-monitor/keys.json "bea"); never printed',
    )
    .option(
      '--map-country <name=ISO3>',
      'map a BEA area name the program does not know (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .action(
      async (
        opts: FetchOptions & {
          country: string;
          indicator: string;
          quarterly?: boolean;
          years?: string;
          key?: string;
          mapCountry?: string[];
        },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const indicators = opts.indicator
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        for (const i of indicators)
          if (!BEA_INDICATORS[i])
            throw new Error(`unknown ITA indicator '${i}' (known: ${Object.keys(BEA_INDICATORS).join(', ')})`);
        const span = parseYears(opts.years);
        const years = span ? Array.from({ length: span[1] - span[0] + 1 }, (_, k) => span[0] + k).join(',') : 'ALL';
        const urls = beaUrls(
          {
            indicators,
            areas: opts.country
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
            frequency: opts.quarterly ? 'QSA' : 'A',
            years,
          },
          settingOrDefault('DECOUPLE_BEA_API'),
        );
        if (opts.dryRun) {
          process.stdout.write(
            `would make ${urls.length} calls (one per indicator and area), e.g. ${urls[0]}&UserID=…\n`,
          );
          return;
        }
        const key = apiKey('bea', opts.key, 'BEA_KEY');
        if (!key)
          throw new Error(
            'the BEA API needs a UserID: --key, $BEA_KEY or "bea" in ~/.config/decoupling-monitor/keys.json (free at https://apps.bea.gov/API/signup/)',
          );
        const bar = countProgress('BEA API', 'calls');
        const table = await fetchBeaTable(urls, key, {
          ...downloadOptions(opts),
          progress: false,
          onCall: bar.update,
        }).finally(bar.stop);
        note(
          `${urls.length} calls (${table.downloaded} downloaded, the rest from the cache or mirror): ${table.rows} rows`,
        );
        await withStore(g, async (store) => {
          const outcomes = await importBea(store, [table.path], { userMap: parseCountryMappings(opts.mapCountry) });
          await recordUrl(store, outcomes, settingOrDefault('DECOUPLE_BEA_API'));
          printRows(
            outcomes.map((o) => ({
              dataset_id: o.dataset_id,
              status: o.status,
              rows: o.rows,
              calls: urls.length,
              notes: o.notes.join('; '),
            })),
            g,
          );
        });
      },
    );

  common(
    fetchCmd
      .command('dots')
      .description(
        'goods exports and imports by partner from the IMF data portal (data flow IMTS, the successor to DOTS), annual or monthly, imported as one dataset',
      ),
  )
    .requiredOption('--reporter <iso3s>', 'reporting economies, comma-separated (e.g. CHN,USA)')
    .option('--partner <codes>', 'partners: ISO3 codes, G001 for the world, comma-separated', 'G001,CHN,USA')
    .option('--monthly', 'monthly instead of annual')
    .option(
      '--key <key>',
      'IMF API subscription key, if you have one (default $IMF_API_KEY, else keys.json "imf"); never printed',
    )
    .action(
      async (
        opts: FetchOptions & { reporter: string; partner: string; monthly?: boolean; key?: string },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const list = (v: string) =>
          v
            .split(',')
            .map((x) => x.trim().toUpperCase())
            .filter(Boolean);
        for (const c of [...list(opts.reporter), ...list(opts.partner)])
          if (!/^([A-Z]{3}|G\d{3})$/.test(c)) throw new Error(`'${c}' is not an ISO3 code (or G001 for the world)`);
        const url = imtsUrl(
          list(opts.reporter),
          list(opts.partner),
          opts.monthly ? 'M' : 'A',
          settingOrDefault('DECOUPLE_IMF_API'),
        );
        if (opts.dryRun) {
          process.stdout.write(
            `would download 1 SDMX-CSV answer: ${url}${opts.mirror ? ` from the mirror ${mirrorPath(opts.mirror, url)}` : ''}\n`,
          );
          return;
        }
        const key = apiKey('imf', opts.key, 'IMF_API_KEY');
        const got = await download(url, {
          ...downloadOptions(opts),
          headers: { Accept: SDMX_CSV, ...(key ? { 'Ocp-Apim-Subscription-Key': key } : {}) },
        });
        note(`${url}: ${got.bytes} bytes from the ${got.from}`);
        await withStore(g, async (store) => {
          const outcomes = await importDots(store, [got.path], { userMap: new Map() });
          await recordUrl(store, outcomes, url);
          printRows(
            outcomes.map((o) => ({
              dataset_id: o.dataset_id,
              status: o.status,
              rows: o.rows,
              notes: o.notes.join('; '),
            })),
            g,
          );
        });
      },
    );

  common(
    fetchCmd
      .command('usitc-301')
      .description(
        'the Section 301 lists on China from the USITC HTS export (each HTS8 line by the chapter 99 heading its footnotes name), rates by date from the measures registry',
      ),
  ).action(async (opts: FetchOptions, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const url = usitcExportUrl(settingOrDefault('DECOUPLE_USITC_API'));
    if (opts.dryRun) {
      process.stdout.write(
        `would download the HTS export ${url}${opts.mirror ? ` from the mirror ${mirrorPath(opts.mirror, url)}` : ''}, keep the lines whose footnotes name a Section 301 heading of the registry, and import them as a tariff list\n`,
      );
      return;
    }
    await withStore(g, async (store) => {
      const wanted = new Set(
        (
          await store.all(
            `SELECT DISTINCT heading FROM measure_tariff_lists WHERE heading IS NOT NULL AND NOT coalesce(exclusion, false)`,
          )
        ).map((r) => String(r.heading)),
      );
      const got = await download(url, downloadOptions(opts));
      const refs = readHeadingReferences(got.path, url, wanted);
      if (refs.pairs.length === 0)
        throw new Error(
          `${url}: none of its ${refs.lines} lines refers to a Section 301 heading of the registry (${[...wanted].sort().join(', ')}); nothing was imported`,
        );
      const outcomes = await importTariffs(store, [writeHeadingList(refs, url)], { userMap: new Map() });
      await recordUrl(store, outcomes, url);
      const others = [...refs.others]
        .sort()
        .map(([h, n]) => `${h} (${n})`)
        .join(', ');
      if (others)
        note(
          `other 9903.88 headings named in footnotes, not list headings of the registry (exclusions and the like), not imported: ${others}`,
        );
      printRows(
        outcomes.map((o) => ({
          dataset_id: o.dataset_id,
          status: o.status,
          rows: o.rows,
          hts_lines: refs.lines,
          list_lines: refs.pairs.length,
          notes: o.notes.join('; '),
        })),
        g,
      );
    });
  });

  common(
    fetchCmd
      .command('classifications')
      .description(
        'the reference packs decouple setup installs (countries, HS lists and vintages, HS to BEC/SITC/ISIC, US advanced technology products), from their official addresses',
      ),
  )
    .option('--pack <name...>', `only these packs (${PACKS.map((p) => p.name).join(', ')})`)
    .option(
      '--from <dir>',
      "a folder with the publishers' files in the layout of ../shared/data (as decouple setup --from)",
    )
    .action(async (opts: FetchOptions & { pack?: string[]; from?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const packs = selectPacks(opts.pack ?? []);
      if (opts.dryRun) {
        const files = packs.flatMap((p) =>
          p.files.map((f) => ({ pack: p.name, url: f.url, mirror_path: f.mirrorPath })),
        );
        printRows(files, g);
        note(`${files.length} files in ${packs.length} packs${opts.from ? `, read from ${opts.from}` : ''}`);
        return;
      }
      await withStore(g, async (store) => {
        const results = await installPacks(store, packs, opts.from, downloadOptions(opts), Boolean(opts.pack?.length));
        printRows(packResultRows(results), g);
      });
    });
}
