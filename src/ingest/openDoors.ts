import type { Store } from '../store/store.js';
import { stageCsv, lineExpr } from '../files/csvStage.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/**
 * IIE Open Doors, international students in the US by place of origin and
 * academic year, in two layouts:
 *  - with regions (`place_of_origin, open_doors_region, academic_year, start_year, students`): every place IIE
 *    lists, including "…, Unspecified" regions and "Stateless", so the file's sum is the total of international
 *    students (1,075,494 in 2019/20 against IIE's published 1,075,496);
 *  - mapped (`… country_name_map, iso_numeric …`): only places mapped to a country (23 places fewer, Iran and
 *    Venezuela among them), so no total is formed from it.
 * Series `students_in_us`, country = place of origin, partner = USA, frequency AY (academic year, period
 * `2019/20`, year = its first year); the total is country WLD. Source: https://opendoorsdata.org/
 */
export async function importOpenDoors(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'iie-open-doors',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      const header = await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'place_of_origin', type: 'VARCHAR' },
            { name: 'open_doors_region', type: 'VARCHAR' },
            { name: 'academic_year', type: 'VARCHAR' },
            { name: 'start_year', type: 'INTEGER' },
            { name: 'students', type: 'DOUBLE' },
            { name: 'country_name_map', type: 'VARCHAR', optional: true },
            { name: 'iso_numeric', type: 'VARCHAR', optional: true },
          ],
        },
        'od_raw',
      );
      const complete = !header.map((h) => h.toLowerCase()).includes('country_name_map');
      await ctx.store.run(
        `CREATE OR REPLACE TEMP TABLE od_lines AS SELECT ${lineExpr('od_raw')} AS line, * FROM od_raw`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, academic_year, start_year FROM od_lines
         WHERE NOT regexp_full_match(coalesce(academic_year, ''), '\\d{4}/\\d{2}')
            OR start_year IS NULL OR academic_year[1:4] <> CAST(start_year AS VARCHAR)
            OR (start_year + 1) % 100 <> CAST(academic_year[6:7] AS INTEGER)
         ORDER BY line LIMIT 1`,
        'academic_year',
        (bad) => `the academic year '${bad.academic_year}' is not YYYY/YY starting in start_year ${bad.start_year}`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line FROM od_lines WHERE students < 0 ORDER BY line LIMIT 1`,
        'students',
        () => 'the number of students is negative',
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE od_norm AS
        SELECT line, 'students_in_us' AS indicator, trim(place_of_origin) AS country_code, 'USA' AS partner_code,
               'AY' AS frequency, academic_year AS period, start_year AS year, students AS value, 'persons' AS unit,
               NULL AS flag, 'IIE Open Doors, region ' || open_doors_region AS note
        FROM od_lines WHERE students IS NOT NULL`);
      if (complete)
        await ctx.store.run(`INSERT INTO od_norm
          SELECT 0, 'students_in_us', 'WLD', 'USA', 'AY', academic_year, start_year, sum(students), 'persons', NULL,
                 'IIE Open Doors: sum of the ' || count(*) || ' places of origin in the file, unspecified regions and stateless included'
          FROM od_lines WHERE students IS NOT NULL GROUP BY academic_year, start_year`);
      await loadSeries(ctx, {
        view: 'od_norm',
        system: 'iie',
        userMap: options.userMap,
        fields: { country: 'place_of_origin', partner: 'place_of_origin', period: 'academic_year', value: 'students' },
        leaveOutUnknown: true,
      });
      const span = await ctx.store.one(`SELECT min(academic_year) AS a, max(academic_year) AS b FROM od_lines`);
      await ctx.setVintage(`IIE Open Doors ${span?.a}–${span?.b}`);
      const empty = await ctx.store.one(`SELECT count(*) AS n FROM od_lines WHERE students IS NULL`);
      ctx.notes.push(
        `${empty?.n} empty cells (place not listed that year) skipped`,
        complete
          ? 'all places of origin, with the total of international students (WLD) as their sum'
          : 'places mapped to a country only: no total of international students is formed from this layout (import the layout with regions for shares)',
      );
      await ctx.store.run('DROP TABLE od_norm; DROP TABLE od_lines; DROP TABLE od_raw');
    },
  });
}
