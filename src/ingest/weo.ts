import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { stageCsv, lineExpr, sqlString } from '../files/csvStage.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/** WEO unit codes → the store's units (values are multiplied out of their scale). */
const UNITS: Record<string, string> = {
  USD: 'USD',
  PT: 'percent',
  IX: 'index',
  XDC: 'national currency',
  na: 'number',
};

/**
 * IMF World Economic Outlook in long form (`ref_area, concept, unit, scale, base_year, freq, lastactualdate, year,
 * value`): every concept for every economy, as series `weo:CONCEPT` (e.g. `weo:NGDPD` GDP in US$,
 * `weo:NGDP_RPCH` real GDP growth in percent), country = ref_area (ISO3), partner ''. Values are multiplied by
 * 10^scale (NGDPD, in billions, is stored in US$). Years after the economy's last actual year (`lastactualdate`)
 * are IMF projections: flag `p`. The concept's description is kept in the note when `weo_concepts.csv` is beside
 * the file. IMF groups (G001 …) are left out. Source: https://www.imf.org/en/Publications/WEO/weo-database
 */
export async function importWeo(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'imf-weo',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'ref_area', type: 'VARCHAR' },
            { name: 'concept', type: 'VARCHAR' },
            { name: 'unit', type: 'VARCHAR' },
            { name: 'scale', type: 'INTEGER' },
            { name: 'base_year', type: 'VARCHAR' },
            { name: 'freq', type: 'VARCHAR' },
            { name: 'lastactualdate', type: 'VARCHAR' },
            { name: 'year', type: 'INTEGER' },
            { name: 'value', type: 'DOUBLE' },
          ],
          exact: true,
        },
        'weo_raw',
      );
      await ctx.store.run(
        `CREATE OR REPLACE TEMP TABLE weo_lines AS SELECT ${lineExpr('weo_raw')} AS line, * FROM weo_raw`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, freq FROM weo_lines WHERE freq <> 'A' ORDER BY line LIMIT 1`,
        'freq',
        (notAnnual) => `frequency '${notAnnual.freq}': the WEO long form is annual (A)`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, scale FROM weo_lines WHERE scale IS NULL OR scale NOT IN (0, 3, 6, 9, 12) ORDER BY line LIMIT 1`,
        'scale',
        (badScale) => `scale '${badScale.scale}' is not a power of ten the WEO uses (0, 3, 6, 9, 12)`,
      );
      const concepts = join(dirname(ctx.file.original), 'weo_concepts.csv');
      const haveConcepts = existsSync(concepts);
      if (haveConcepts)
        await ctx.store.run(
          `CREATE OR REPLACE TEMP TABLE weo_concepts AS SELECT code, description FROM read_csv(${sqlString(concepts)}, header = true, columns = {'code': 'VARCHAR', 'description': 'VARCHAR'})`,
        );
      else await ctx.store.run(`CREATE OR REPLACE TEMP TABLE weo_concepts (code VARCHAR, description VARCHAR)`);
      const unitCase = Object.entries(UNITS)
        .map(([k, v]) => `WHEN ${sqlString(k)} THEN ${sqlString(v)}`)
        .join(' ');
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE weo_norm AS
        SELECT line, 'weo:' || concept AS indicator, ref_area AS country_code, '' AS partner_code, 'A' AS frequency,
               CAST(year AS VARCHAR) AS period, year, value * pow(10, scale) AS value,
               CASE unit ${unitCase} ELSE unit END AS unit,
               CASE WHEN TRY_CAST(lastactualdate[1:4] AS INTEGER) < year THEN 'p' END AS flag,
               concat_ws('; ', c.description, CASE WHEN base_year IS NOT NULL THEN 'base year ' || base_year END,
                         CASE WHEN lastactualdate IS NOT NULL THEN 'last actual ' || lastactualdate END) AS note
        FROM weo_lines LEFT JOIN weo_concepts c ON c.code = concept
        WHERE value IS NOT NULL`);
      await loadSeries(ctx, {
        view: 'weo_norm',
        system: 'iso3',
        userMap: options.userMap,
        fields: { country: 'ref_area', partner: 'ref_area', period: 'year', value: 'value' },
        leaveOutUnknown: true,
        maxYear: new Date().getUTCFullYear() + 10,
      });
      const m = /weo_(\d{4})_(\d{2})/i.exec(basename(ctx.file.original));
      await ctx.setVintage(m ? `WEO ${m[1]}-${m[2]}` : 'WEO');
      const empty = await ctx.store.one(`SELECT count(*) AS n FROM weo_lines WHERE value IS NULL`);
      ctx.notes.push(
        `years after each economy's last actual year are IMF projections (flag p); ${empty?.n} empty cells skipped${haveConcepts ? '' : '; weo_concepts.csv not beside the file: concept descriptions not kept'}`,
      );
      await ctx.store.run('DROP TABLE weo_norm; DROP TABLE weo_lines; DROP TABLE weo_raw; DROP TABLE weo_concepts');
    },
  });
}
