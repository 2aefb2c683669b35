import type { Command } from 'commander';
import { download, mirrorPath, type DownloadOptions } from '../../fetch/download.js';
import { federalRegisterUrl, nextPageUrl, SOURCES, sourcesTable } from '../../fetch/sources.js';
import { importFederalRegister } from '../../ingest/federalRegister.js';
import { importScreeningList } from '../../ingest/screeningList.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseDate } from '../optionParsers.js';

interface FetchOptions {
  mirror?: string;
  dryRun?: boolean;
}

function downloadOptions(o: FetchOptions): DownloadOptions {
  return { mirror: o.mirror, log: (l) => note(l) };
}

/** Registers `sources` and `fetch` (screening list, Federal Register). */
export function registerFetchCommands(program: Command): void {
  program
    .command('sources')
    .description('each data source: official URL, documentation, terms, how to get it, when it was last imported here')
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => printRows(await sourcesTable(store), g));
    });

  const fetchCmd = program.command('fetch').description('download a source (or read it from a local mirror) and import it');
  const common = (c: Command) =>
    c
      .option('--mirror <dir>', 'read from a local mirror with the sources\' layout (host/path) instead of the network; default $DECOUPLE_MIRROR')
      .option('--dry-run', 'say what would be downloaded, and do nothing');

  common(fetchCmd.command('screening-list').description('the current Consolidated Screening List (CSV), imported as a snapshot'))
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
      const snapshot = parseDate(opts.snapshot, '--snapshot') ?? (got.lastModified ? new Date(got.lastModified).toISOString().slice(0, 10) : new Date().toISOString().slice(0, 10));
      note(`${url}: ${got.bytes} bytes from the ${got.from}; snapshot ${snapshot}`);
      await withStore(g, async (store) => {
        const outcomes = await importScreeningList(store, [got.path], { userMap: new Map(), snapshot });
        printRows(outcomes.map((o) => ({ url, dataset_id: o.dataset_id, status: o.status, rows: o.rows, notes: o.notes.join('; ') })), g);
      });
    });

  common(fetchCmd.command('federal-register').description('Federal Register documents matching a term, page by page, imported'))
    .requiredOption('--term <text>', 'search term, e.g. "entity list"')
    .requiredOption('--from <YYYY-MM-DD>', 'first publication date')
    .option('--to <YYYY-MM-DD>', 'last publication date')
    .action(async (opts: FetchOptions & { term: string; from: string; to?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const from = parseDate(opts.from, '--from')!;
      const to = parseDate(opts.to, '--to');
      let url: string | undefined = federalRegisterUrl(opts.term, from, to, 1);
      if (opts.dryRun) {
        process.stdout.write(`would call ${url}\nand follow next_page_url (1,000 documents a call) until the last page${opts.mirror ? `\nmirror file: ${mirrorPath(opts.mirror, url)}` : ''}\n`);
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
        printRows(outcomes.map((o, i) => ({ page: i + 1, dataset_id: o.dataset_id, status: o.status, rows: o.rows, notes: o.notes.join('; ') })), g);
      });
    });
}
