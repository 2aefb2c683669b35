import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Store } from '../store/store.js';
import { bulkInsert, columnSpec } from '../store/bulkInsert.js';
import { measureWhere, readMeasures, shippedMeasureFiles, type LocatedMeasure } from './measureRegistry.js';
import { dateStart } from './measureSchema.js';

/** Returns the HS codes known in one vintage (from the installed products and concordances). */
async function vintageCodes(store: Store, vintage: string): Promise<Set<string>> {
  const rows = await store.all(
    `SELECT code FROM products WHERE classification = $1
     UNION SELECT from_code FROM concordances WHERE from_classification = $1
     UNION SELECT to_code FROM concordances WHERE to_classification = $1`,
    [vintage],
  );
  const codes = new Set<string>();
  for (const r of rows) {
    const c = String(r.code);
    if (/^\d{6}$/.test(c)) {
      codes.add(c);
      codes.add(c.slice(0, 4));
      codes.add(c.slice(0, 2));
    } else if (/^\d{2}(\d{2})?$/.test(c)) codes.add(c);
  }
  return codes;
}

/**
 * Checks the measures against the store (economies and groups known; HS codes
 * existing in their vintage when the classification packs are installed);
 * throws naming the file, line and measure. Returns notes on what could not be checked.
 */
export async function checkMeasuresAgainstStore(
  store: Store,
  measures: LocatedMeasure[],
  origin: string,
): Promise<string[]> {
  const notes: string[] = [];
  const taken = new Map(
    (await store.all(`SELECT measure_id, file, line FROM measures WHERE origin <> $1`, [origin])).map((r) => [
      String(r.measure_id),
      r,
    ]),
  );
  const countries = (await store.all(`SELECT iso3 AS code FROM countries`)).map((r) => String(r.code));
  const groups = (await store.all(`SELECT group_id AS code FROM country_groups`)).map((r) => String(r.code));
  const known = new Set([...countries, ...groups, 'ALL']);
  if (countries.length === 0) notes.push('economies not checked: install the country pack (decouple setup)');
  const codeSets = new Map<string, Set<string>>();
  for (const m of measures) {
    const t = taken.get(m.id);
    if (t) throw new Error(`${measureWhere(m)}: the id is already used by ${t.file}, line ${t.line}`);
    for (const e of [m.actor, ...m.target]) {
      if (countries.length > 0 && !known.has(e)) throw new Error(`${measureWhere(m)}: unknown economy or group '${e}'`);
    }
    for (const p of m.products ?? []) {
      if (!codeSets.has(p.vintage)) codeSets.set(p.vintage, await vintageCodes(store, p.vintage));
      const codes = codeSets.get(p.vintage)!;
      if (codes.size === 0) {
        const note = `HS codes in ${p.vintage} not checked: install the classification packs (decouple setup)`;
        if (!notes.includes(note)) notes.push(note);
      } else if (!codes.has(p.hs))
        throw new Error(`${measureWhere(m)}: HS code ${p.hs} does not exist in ${p.vintage}`);
    }
  }
  return notes;
}

const cols = (spec: string) => columnSpec(spec.split(','));

/** Replaces the measures of one origin in the store with the given ones; returns how many were stored. */
export async function storeMeasures(
  store: Store,
  measures: LocatedMeasure[],
  origin: string,
  datasetId: number | null,
): Promise<number> {
  for (const table of [
    'measure_changes',
    'measure_sources',
    'measure_products',
    'measure_tariff_lists',
    'measure_papers',
  ]) {
    await store.run(`DELETE FROM ${table} WHERE measure_id IN (SELECT measure_id FROM measures WHERE origin = $1)`, [
      origin,
    ]);
  }
  await store.run(`DELETE FROM measures WHERE origin = $1`, [origin]);
  await bulkInsert(
    store,
    'measures',
    cols(
      'measure_id,origin,dataset_id:INTEGER,announced,announced_from:DATE,effective:DATE,ended:DATE,actor,targets,instrument,field,countermeasure:BOOLEAN,' +
        'title_en,title_zh,summary_en,summary_zh,legal_basis,entity_count:INTEGER,confidence,confidence_note,file,line:INTEGER',
    ),
    measures.map((m) => [
      m.id,
      origin,
      datasetId,
      m.announced,
      dateStart(m.announced),
      m.effective ? dateStart(m.effective) : null,
      m.ended ? dateStart(m.ended) : null,
      m.actor,
      m.target.join(','),
      m.instrument,
      m.field,
      m.countermeasure ?? false,
      m.title.en,
      m.title.zh,
      m.summary.en,
      m.summary.zh,
      m.legal_basis,
      m.entities?.count ?? null,
      m.confidence,
      m.confidence_note ?? null,
      m.file,
      m.line,
    ]),
  );
  await bulkInsert(
    store,
    'measure_changes',
    cols('measure_id,date,rate_pct:DOUBLE,en,zh,rate_factor:DOUBLE'),
    measures.flatMap((m) =>
      (m.changes ?? []).map((c) => [m.id, c.date, c.rate_pct ?? null, c.en, c.zh, c.rate_factor ?? null]),
    ),
  );
  await bulkInsert(
    store,
    'measure_sources',
    cols('measure_id,publisher,title,date,url,locator'),
    measures.flatMap((m) => m.sources.map((s) => [m.id, s.publisher, s.title, s.date, s.url, s.locator ?? null])),
  );
  await bulkInsert(
    store,
    'measure_products',
    cols('measure_id,classification,code,rate_pct:DOUBLE,from_date:DATE,note,source'),
    measures.flatMap((m) =>
      (m.products ?? []).map((p) => [
        m.id,
        p.vintage,
        p.hs,
        p.rate_pct ?? null,
        p.from ?? null,
        p.note ?? null,
        p.source ?? null,
      ]),
    ),
  );
  await bulkInsert(
    store,
    'measure_tariff_lists',
    cols(
      'measure_id,list,heading,value_usd_bn:DOUBLE,from_date:DATE,rate_pct:DOUBLE,suspended:DATE,note,scope,exclusion:BOOLEAN',
    ),
    measures.flatMap((m) =>
      (m.tariff_lists ?? []).flatMap((l) =>
        l.rates.map((r) => [
          m.id,
          l.list,
          l.heading ?? null,
          l.value_usd_bn ?? null,
          r.from,
          r.rate_pct,
          l.suspended ?? null,
          r.note ?? null,
          l.scope ?? 'lines',
          l.exclusion ?? false,
        ]),
      ),
    ),
  );
  await bulkInsert(
    store,
    'measure_papers',
    cols('measure_id,paper,date'),
    measures.flatMap((m) => (m.papers ?? []).map((p) => [m.id, p.paper, p.date])),
  );
  return measures.length;
}

/**
 * Loads the shipped measures registry into the store when it is missing or
 * has changed since the last load; returns true when it was (re)loaded.
 */
export async function ensureShippedMeasures(store: Store): Promise<boolean> {
  const files = shippedMeasureFiles();
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  const digest = hash.digest('hex');
  const current = await store.one(`SELECT value FROM settings WHERE key = 'measures_sha256'`);
  if (current?.value === digest) return false;
  const measures = readMeasures(files);
  await store.transaction(async () => {
    await checkMeasuresAgainstStore(store, measures, 'builtin');
    await storeMeasures(store, measures, 'builtin', null);
    await store.run(`INSERT OR REPLACE INTO settings VALUES ('measures_sha256', $1)`, [digest]);
  });
  return true;
}
