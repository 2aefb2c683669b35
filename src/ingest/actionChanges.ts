import { lineExpr, stageCsv, type CsvLayout } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { ident, join, raw, sql } from '../core/sql.js';
import type { LoadContext } from './importRun.js';

/**
 * Bown's per-action file of the US tariffs on China by HS6 (PIIE, "TrumpTariffs-CHN-hs6"): `hs06` and one column
 * per action (TT201_1st, TT232_1, TT301_a …) giving the change in the additional duty, in percentage points, that
 * the action brought to the HS6 (an average over its HTS8 lines where the action named part of them). The actions
 * are the registry's: each column names a measure and a date on which the registry has the measure take effect or
 * change, so the dates come from the registry's sources, not from this table.
 */
export const ACTION_COLUMNS: ReadonlyArray<{ column: string; measure: string; date: string }> = [
  { column: 'TT201_1st', measure: 'us-201-washers-solar', date: '2018-02-07' },
  { column: 'TT232_1', measure: 'us-232-steel-aluminium', date: '2018-03-23' },
  { column: 'TT301_a', measure: 'us-301-list1', date: '2018-07-06' },
  { column: 'TT301_b', measure: 'us-301-list2', date: '2018-08-23' },
  { column: 'TT301_c', measure: 'us-301-list3', date: '2018-09-24' },
  { column: 'TT201_2nd', measure: 'us-201-washers-solar', date: '2019-02-07' },
  { column: 'TT301_d', measure: 'us-301-list3', date: '2019-05-10' },
  { column: 'TT301_e', measure: 'us-301-list4', date: '2019-09-01' },
  { column: 'TT201_3rd', measure: 'us-201-washers-solar', date: '2020-02-07' },
  { column: 'TT232_2', measure: 'us-232-steel-aluminium', date: '2020-02-08' },
  { column: 'TT301_f', measure: 'us-301-list4', date: '2020-02-14' },
];

/** The list name under which the per-action rates are stored (HS6 averages, not line rates). */
export const ACTION_CHANGES_LIST = 'bown-hs6';

/** Returns whether a header is that of a per-action change file: an HS6 column and action columns. */
export function isActionChangesHeader(header: string[]): boolean {
  const h = header.map((c) => c.trim().replace(/^\uFEFF/, ''));
  return h.some((c) => /^hs0?6$/i.test(c)) && h.some((c) => /^TT(201|232|301)_/i.test(c));
}

/**
 * Loads a per-action change file: checks every code and change, checks that each action column is one this program
 * knows and that the registry dates it, then stores for each HS6 and measure the cumulated additional duty from
 * each action date to the next (periods at zero are not stored). Returns nothing.
 */
export async function loadActionChanges(ctx: LoadContext, header: string[]): Promise<void> {
  const { store } = ctx;
  const code = header.find((c) => /^hs0?6$/i.test(c.trim()))!;
  const actions = header.filter((c) => /^TT(201|232|301)_/i.test(c.trim()));
  const unknown = actions.filter((c) => !ACTION_COLUMNS.some((a) => a.column.toLowerCase() === c.trim().toLowerCase()));
  if (unknown.length)
    throw new ImportError(
      ctx.file.original,
      `action column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not known (known: ${ACTION_COLUMNS.map((a) => a.column).join(', ')}): each column must name a dated action of the measures registry`,
      1,
      unknown[0],
    );
  const used = ACTION_COLUMNS.filter((a) => actions.some((c) => c.trim().toLowerCase() === a.column.toLowerCase()));
  for (const a of used) {
    const dated = await store.one(
      sql`SELECT count(*) AS n FROM measures m WHERE m.measure_id = ${a.measure}
            AND (m.effective = CAST(${a.date} AS DATE)
                 OR EXISTS (SELECT 1 FROM measure_changes c WHERE c.measure_id = m.measure_id AND c.date = ${a.date}))`,
    );
    if (!Number(dated?.n))
      throw new Error(
        `column ${a.column}: the measures registry does not date ${a.measure} on ${a.date} (its effective date or a change); the registry must carry the action first`,
      );
  }
  const layout: CsvLayout = { columns: header.map((c) => ({ name: c, type: 'VARCHAR' as const })) };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  const c = ident(code.trim());
  const rowLine = raw(lineExpr('tariff_stage'));
  const bad = await store.one(
    sql`SELECT ${rowLine} AS _line, ${c} AS v FROM tariff_stage
        WHERE ${c} IS NULL OR NOT regexp_full_match(trim(${c}), '\\d{6}') ORDER BY _line LIMIT 1`,
  );
  if (bad)
    throw new ImportError(ctx.file.original, `'${bad.v ?? ''}' is not a 6-digit HS code`, Number(bad._line), code);
  const dup = await store.one(
    sql`SELECT line, min(_line) AS a, max(_line) AS b FROM (SELECT trim(${c}) AS line, ${rowLine} AS _line FROM tariff_stage)
        GROUP BY line HAVING count(*) > 1 ORDER BY a LIMIT 1`,
  );
  if (dup)
    throw new ImportError(
      ctx.file.original,
      `HS6 ${dup.line} is given twice (also at line ${dup.a})`,
      Number(dup.b),
      code,
    );
  const parts = used.map((a) => {
    const name = actions.find((x) => x.trim().toLowerCase() === a.column.toLowerCase())!;
    const col = ident(name.trim());
    return sql`SELECT ${rowLine} AS _line, trim(${c}) AS line, ${a.measure} AS measure_id, CAST(${a.date} AS DATE) AS on_date,
                      ${name} AS col, ${col} AS change_text, TRY_CAST(${col} AS DOUBLE) AS change FROM tariff_stage`;
  });
  await store.run(sql`CREATE OR REPLACE TEMP TABLE changes_stage AS ${join(parts, ' UNION ALL ')}`);
  const missing = await store.one(
    `SELECT count(*) AS n, min(_line) AS first FROM changes_stage WHERE change_text IS NULL OR trim(change_text) = ''`,
  );
  if (Number(missing?.n))
    ctx.notes.push(
      `${missing?.n} empty cells (first at line ${missing?.first}) read as no change: the HS6 was not in that action's HS vintage`,
    );
  const wrong = await store.one(
    `SELECT * FROM changes_stage WHERE trim(coalesce(change_text, '')) <> '' AND (change IS NULL OR isnan(change) OR abs(change) > 1000)
     ORDER BY _line LIMIT 1`,
  );
  if (wrong)
    throw new ImportError(
      ctx.file.original,
      `'${wrong.change_text}' is not a change in percentage points (−1000 to 1000)`,
      Number(wrong._line),
      String(wrong.col),
    );
  // The cumulated duty of each measure on each HS6 after each of its actions; it cannot fall below zero.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE rates_stage AS
     SELECT *, lead(on_date) OVER (PARTITION BY line, measure_id ORDER BY on_date) AS next_on FROM (
       SELECT _line, line, measure_id, on_date, col,
              round(sum(coalesce(change, 0)) OVER (PARTITION BY line, measure_id ORDER BY on_date), 9) AS rate
       FROM changes_stage)`,
  );
  const negative = await store.one(`SELECT * FROM rates_stage WHERE rate < 0 ORDER BY _line, on_date LIMIT 1`);
  if (negative)
    throw new ImportError(
      ctx.file.original,
      `the changes of ${negative.measure_id} on HS6 ${negative.line} add up to ${negative.rate} pp after ${negative.col}: an additional duty cannot be negative`,
      Number(negative._line),
      String(negative.col),
    );
  await store.run(
    sql`INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date, rate_pct, rate_kind)
        SELECT ${ctx.datasetId}, 'USA', 'CHN', line, 6, ${ACTION_CHANGES_LIST}, measure_id, on_date, next_on, rate, 'additional'
        FROM rates_stage WHERE rate > 0`,
  );
  const stored = await store.one(
    sql`SELECT count(DISTINCT line) AS n FROM tariff_lines WHERE dataset_id = ${ctx.datasetId}`,
  );
  ctx.notes.push(
    `changes of ${used.length} actions (${used.map((a) => `${a.column} = ${a.measure} on ${a.date}`).join('; ')}) cumulated by measure into additional duties on ${stored?.n} HS6 products; each is an average over the HS6's HTS8 lines, stored as list ${ACTION_CHANGES_LIST}, not as line rates`,
  );
}
