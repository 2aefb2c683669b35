import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { fetchRequests, requestDatasets, type FetchRequest } from '../../fetch/fetchRequests.js';
import { compareDatasets } from '../../ingest/datasetRevisions.js';
import { removeDatasets } from '../../store/recovery.js';
import { defaultStorePath, type Row, type Store } from '../../store/store.js';
import { packageRoot } from '../../util/paths.js';
import { parseDate } from '../../core/inputs.js';
import { childEnvironment } from '../../core/config.js';
import { checkWatch, readWatchFile } from '../../indicators/thresholdWatch.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

/** Returns a new update run's id, recorded as started now. */
async function startRun(store: Store, requests: number): Promise<number> {
  const r = await store.one(`SELECT coalesce(max(run_id), 0) + 1 AS id FROM update_runs`);
  const id = Number(r?.id);
  await store.run(`INSERT INTO update_runs VALUES ($1, current_timestamp, NULL, $2, NULL)`, [id, requests]);
  return id;
}

/** Records one change of an update run. */
async function recordChange(store: Store, runId: number, requestId: number, c: Row): Promise<void> {
  await store.run(
    `INSERT INTO update_changes (run_id, request_id, change, source, new_dataset_id, previous_dataset_id, compared, moved, added,
                                 dropped, max_abs_change, largest, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      runId,
      requestId,
      String(c.change),
      (c.source as string) ?? null,
      (c.new_dataset_id as number) ?? null,
      (c.previous_dataset_id as number) ?? null,
      (c.compared as number) ?? null,
      (c.moved as number) ?? null,
      (c.added as number) ?? null,
      (c.dropped as number) ?? null,
      (c.max_abs_change as number) ?? null,
      (c.largest as string) ?? null,
      (c.note as string) ?? null,
    ],
  );
}

/**
 * After a repeated fetch: each new dataset of the request is compared with the one of the same source and kind
 * it brought before; flows and series replace their predecessor (a revision, with the values that moved), other
 * kinds are kept beside it (snapshots, documents: the new rows are what is new). Returns nothing.
 */
async function settleRequest(store: Store, runId: number, req: FetchRequest, before: Row[]): Promise<void> {
  const after = await requestDatasets(store, req.request_id);
  const known = new Set(before.map((d) => Number(d.dataset_id)));
  const fresh = after.filter((d) => !known.has(Number(d.dataset_id)));
  if (!fresh.length) {
    await recordChange(store, runId, req.request_id, { change: 'unchanged', note: 'the source answered as before' });
    return;
  }
  for (const d of fresh) {
    const id = Number(d.dataset_id);
    const kind = String(d.kind);
    const rows = await store.one(`SELECT rows FROM datasets WHERE dataset_id = $1`, [id]);
    const previous = before.filter((b) => b.source === d.source && b.kind === kind).map((b) => Number(b.dataset_id));
    if ((kind === 'flows' || kind === 'series') && previous.length) {
      const last = previous[previous.length - 1];
      const rev = await compareDatasets(store, kind, last, id);
      await store.transaction(async () => {
        await recordChange(store, runId, req.request_id, {
          change: rev.moved || rev.added || rev.dropped ? 'revision' : 'same values',
          source: d.source,
          new_dataset_id: id,
          previous_dataset_id: last,
          ...rev,
          note: `dataset ${previous.join(', ')} replaced by ${id}`,
        });
        await removeDatasets(store, previous);
      });
    } else {
      await recordChange(store, runId, req.request_id, {
        change: kind === 'documents' ? 'new documents' : 'new dataset',
        source: d.source,
        new_dataset_id: id,
        added: Number(rows?.rows ?? 0),
      });
    }
  }
}

/** Returns the changes of the update runs since a date (or of the latest run), with their requests. */
async function changesSince(store: Store, since: string | undefined): Promise<Row[]> {
  const runs = since
    ? `SELECT run_id FROM update_runs WHERE started_at >= CAST($1 AS TIMESTAMP)`
    : `SELECT max(run_id) FROM update_runs`;
  return store.all(
    `SELECT c.run_id, strftime(u.started_at, '%Y-%m-%d %H:%M') AS run, r.command, c.change, c.source, c.new_dataset_id,
            c.previous_dataset_id, c.compared, c.moved, c.added, c.dropped, c.max_abs_change, c.largest, c.note
     FROM update_changes c JOIN update_runs u USING (run_id) JOIN fetch_requests r USING (request_id)
     WHERE c.run_id IN (${runs}) ORDER BY c.run_id, c.request_id, c.new_dataset_id`,
    since ? [since] : [],
  );
}

/** A Federal Register document as a draft registry entry, for a person to review (never added by the program). */
function draftEntry(d: Row): Record<string, unknown> {
  const title = String(d.title);
  const entity = /entity list/i.test(title);
  return {
    id: `draft-fr-${String(d.document_number).toLowerCase()}`,
    announced: String(d.publication_date),
    actor: 'USA',
    target: ['ALL'],
    instrument: entity ? 'entity-listing' : 'legal-framework',
    field: 'technology',
    title: { en: title, zh: '待审核：请补充中文标题' },
    summary: {
      en: d.abstract ? String(d.abstract).slice(0, 600) : title,
      zh: '待审核：请补充中文摘要',
    },
    legal_basis: `Federal Register document ${d.document_number}`,
    sources: [
      {
        publisher: 'Office of the Federal Register',
        title,
        date: String(d.publication_date),
        url: String(d.html_url ?? 'https://www.federalregister.gov/'),
      },
    ],
    ...(entity && d.entities_added !== null ? { entities: { count: Number(d.entities_added) } } : {}),
    confidence: 'low',
    confidence_note:
      'Drafted by decouple changes from a Federal Register document: review actor, target, instrument, field and the Chinese text before adding it to a registry file.',
  };
}

/** Registers `update` (repeat every recorded fetch) and `changes` (what the updates brought). */
export function registerUpdateCommands(program: Command): void {
  program
    .command('update')
    .description(
      'repeat every fetch recorded in the store (the newest data of each source it holds), replace revised flows and series, and record what changed; unattended and idempotent (see decouple changes)',
    )
    .option('--mirror <dir>', "read every source from a local mirror with the sources' layout instead of the network")
    .option('--dry-run', 'list the fetches that would be repeated, and do nothing')
    .action(async (opts: { mirror?: string; dryRun?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const requests = await withStore(g, fetchRequests);
      if (!requests.length)
        throw new Error(
          'no fetch is recorded in this store: decouple update repeats the fetches made with decouple fetch …; fetch a source first',
        );
      if (opts.dryRun) {
        printRows(
          requests.map((r) => ({
            request_id: r.request_id,
            fetch: `decouple fetch ${r.command} ${r.args.join(' ')}`,
            last_run: r.last_run,
          })),
          g,
        );
        return;
      }
      const runId = await withStore(g, (s) => startRun(s, requests.length));
      const bin = join(packageRoot(), 'bin', 'decouple.js');
      const db = defaultStorePath(g.db);
      let failed = 0;
      for (const req of requests) {
        const before = await withStore(g, (s) => requestDatasets(s, req.request_id));
        const args = [
          bin,
          '--db',
          db,
          'fetch',
          req.command,
          ...req.args,
          ...(opts.mirror ? ['--mirror', opts.mirror] : []),
        ];
        note(`update ${req.request_id}/${requests.length}: decouple fetch ${req.command} ${req.args.join(' ')}`);
        const child = spawnSync(process.execPath, args, {
          env: childEnvironment({ DECOUPLE_REFRESH: '1', DECOUPLE_QUIET: '1' }),
          encoding: 'utf-8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        if (child.status !== 0) {
          failed++;
          const why = (child.stderr || `exit ${child.status ?? child.signal}`).trim().split('\n').pop() ?? '';
          await withStore(g, (s) => recordChange(s, runId, req.request_id, { change: 'failed', note: why }));
          note(`  failed: ${why}`);
          continue;
        }
        await withStore(g, (s) => settleRequest(s, runId, req, before));
      }
      const rows = await withStore(g, async (s) => {
        await s.run(`UPDATE update_runs SET finished_at = current_timestamp, failed = $2 WHERE run_id = $1`, [
          runId,
          failed,
        ]);
        return changesSince(s, undefined);
      });
      printRows(rows, g);
      if (failed) {
        note(`${failed} of ${requests.length} fetches failed; the others were applied`);
        process.exitCode = 1;
      }
    });

  program
    .command('changes')
    .description(
      'what the updates brought: new datasets, revisions (values that moved, by how much), new Federal Register documents (drafted as registry entries with --drafts, never added)',
    )
    .option('--since <YYYY-MM-DD>', 'every update run from this date on (default: the latest run)')
    .option('--drafts <file>', 'write the new Federal Register documents as draft registry entries (YAML) for review')
    .option(
      '--watch <file>',
      'indicators and thresholds to check on the data now loaded (YAML: watch: [{indicator, params, column, above|below}])',
    )
    .action(async (opts: { since?: string; drafts?: string; watch?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const since = parseDate(opts.since, '--since');
      const items = opts.watch ? readWatchFile(opts.watch) : undefined;
      await withStore(g, async (store) => {
        const runs = await store.one(`SELECT count(*) AS n FROM update_runs`);
        if (!Number(runs?.n) && !items)
          throw new Error('no update has run in this store: run decouple update (after decouple fetch …)');
        const rows = Number(runs?.n) ? await changesSince(store, since) : [];
        const watched = items ? await checkWatch(store, items) : undefined;
        if (g.format === 'json' && watched)
          process.stdout.write(`${JSON.stringify({ changes: rows, watch: watched })}\n`);
        else {
          if (rows.length) printRows(rows, g);
          if (watched) printRows(watched, g);
        }
        for (const w of watched ?? [])
          if (w.status === 'crossed')
            note(
              `${w.item}: ${w.column} ${w.value} in ${w.period} is ${w.threshold} (${w.previous_value} in ${w.previous_period})`,
            );
        if (!rows.length) {
          note(
            Number(runs?.n)
              ? `no update run${since ? ` since ${since}` : ''} changed anything`
              : 'no update has run in this store',
          );
          return;
        }
        const docIds = rows
          .filter((r) => r.change === 'new documents')
          .map((r) => Number(r.new_dataset_id))
          .filter((id) => Number.isFinite(id));
        const docs = docIds.length
          ? await store.all(
              `SELECT document_number, strftime(publication_date, '%Y-%m-%d') AS publication_date, title, abstract, html_url, entities_added
                 FROM fr_documents WHERE dataset_id IN (${docIds.join(', ')}) ORDER BY publication_date, document_number`,
            )
          : [];
        for (const d of docs)
          note(`new Federal Register document ${d.document_number} (${d.publication_date}): ${d.title}`);
        if (opts.drafts) {
          writeFileSync(
            opts.drafts,
            `# Draft registry entries from Federal Register documents new in the updates${since ? ` since ${since}` : ''}.\n` +
              '# Review each (actor, target, instrument, field, Chinese text) before copying it into a registry file.\n' +
              stringify({ version: 1, measures: docs.map(draftEntry) }),
          );
          note(`${docs.length} draft entries written to ${opts.drafts} (not added to the registry)`);
        }
      });
    });
}
