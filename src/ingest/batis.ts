import type { Store } from '../store/store.js';
import { stageCsv, lineExpr } from '../files/csvStage.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/**
 * OECD-WTO Balanced Trade in Services (BaTIS, BPM6) for one reporter by partner and EBOPS 2010 item
 * (`type_Partner, Flow, Item_code, type_Item, Year, Balanced_value, partner, service, L9_Member`), US$. The
 * file does not name its reporter: `--reporter` does. Series `batis_services_export` / `batis_services_import`
 * (item S, total services) and `batis_services_export:ebops:SC` … by item; partner World is WLD. These are
 * balanced estimates (reconciled exports and imports of both sides), not the reporter's official balance of
 * payments by partner: they are kept under their own names and never mixed with BEA's reported series.
 * Source: https://www.oecd.org/en/data/datasets/balanced-trade-in-services-batis.html
 */
export async function importBatis(
  store: Store,
  files: string[],
  options: ImportOptions & { reporter?: string },
): Promise<ImportOutcome[]> {
  const reporter = options.reporter;
  if (!reporter || !/^[A-Z]{3}$/.test(reporter))
    throw new Error('import batis needs --reporter ISO3: a BaTIS extract does not name its reporter');
  return runImport(store, {
    strict: options.strict,
    source: 'oecd-wto-batis',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'type_Partner', type: 'VARCHAR' },
            { name: 'Flow', type: 'VARCHAR' },
            { name: 'Item_code', type: 'VARCHAR' },
            { name: 'type_Item', type: 'VARCHAR' },
            { name: 'Year', type: 'INTEGER' },
            { name: 'Balanced_value', type: 'DOUBLE' },
            { name: 'partner', type: 'VARCHAR' },
            { name: 'service', type: 'VARCHAR' },
            { name: 'L9_Member', type: 'VARCHAR', optional: true },
          ],
        },
        'batis_raw',
      );
      await ctx.store.run(
        `CREATE OR REPLACE TEMP TABLE batis_lines AS SELECT ${lineExpr('batis_raw')} AS line, * FROM batis_raw`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, Flow FROM batis_lines WHERE Flow NOT IN ('Exports', 'Imports') ORDER BY line LIMIT 1`,
        'Flow',
        (badFlow) => `flow '${badFlow.Flow}' is not Exports or Imports`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line FROM batis_lines WHERE Balanced_value < 0 ORDER BY line LIMIT 1`,
        'Balanced_value',
        () => 'the value is negative',
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE batis_norm AS
        SELECT line,
               'batis_services_' || CASE Flow WHEN 'Exports' THEN 'export' ELSE 'import' END
                 || CASE WHEN Item_code = 'S' THEN '' ELSE ':ebops:' || Item_code END AS indicator,
               '${reporter}' AS country_code, trim(partner) AS partner_code, 'A' AS frequency,
               CAST(Year AS VARCHAR) AS period, Year AS year, Balanced_value AS value, 'USD' AS unit, NULL AS flag,
               'OECD-WTO BaTIS balanced estimate: ' || trim(service) AS note
        FROM batis_lines WHERE Balanced_value IS NOT NULL`);
      await loadSeries(ctx, {
        view: 'batis_norm',
        system: 'batis',
        userMap: options.userMap,
        fields: { country: 'partner', partner: 'partner', period: 'Year', value: 'Balanced_value' },
        leaveOutUnknown: true,
      });
      const span = await ctx.store.one(`SELECT min(Year) AS a, max(Year) AS b FROM batis_lines`);
      await ctx.setVintage(`BaTIS BPM6 ${span?.a}–${span?.b}`);
      const empty = await ctx.store.one(`SELECT count(*) AS n FROM batis_lines WHERE Balanced_value IS NULL`);
      ctx.notes.push(`${empty?.n} empty cells skipped`);
      ctx.notes.push(`${reporter}'s services trade by partner and EBOPS 2010 item, balanced estimates`);
      await ctx.store.run('DROP TABLE batis_norm; DROP TABLE batis_lines; DROP TABLE batis_raw');
    },
  });
}
