import type ExcelJS from 'exceljs';
import { excelJs } from '../../util/lazyModules.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildReport, type Lang } from '../../report/reportModel.js';
import { reportHtml, reportMarkdown } from '../../report/renderReport.js';
import { reportPdf } from '../../report/reportPdf.js';
import { note, withStore, type GlobalOptions } from '../context.js';
import { parseYears } from '../../core/inputs.js';
import { InvalidInputError, parseIso3 } from '../../core/index.js';

const REPORT_FORMATS = ['html', 'md', 'xlsx', 'json', 'pdf'] as const;

/** Registers `report`: the assessment report as HTML, Markdown, an Excel workbook and JSON. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'the assessment report for a pair (measures, trade links, supply chains, tariff exposure, investment, people and research links, risk list, data notes), from whatever data is loaded',
    )
    .addOption(new Option('--lang <lang>', 'language').choices(['zh', 'en']).default('zh'))
    .option('--reporter <ISO3>', 'one economy', 'CHN')
    .option('--partner <ISO3>', 'the other economy', 'USA')
    .option('--years <A-B>', 'year range')
    .option('--out <dir>', 'output folder', 'report')
    .option(
      '--formats <list>',
      `comma-separated: ${REPORT_FORMATS.join(',')} (pdf: printed by Chromium)`,
      'html,md,xlsx,json',
    )
    .action(
      async (
        opts: { lang: Lang; reporter: string; partner: string; years?: string; out: string; formats: string },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        // `report --format pdf` (the global option, given) writes that one file unless --formats lists others.
        const given = cmd.parent?.getOptionValueSource('format') === 'cli' ? String(g.format) : undefined;
        const list = given && cmd.getOptionValueSource('formats') !== 'cli' ? given : opts.formats;
        const formats = list.split(',').map((f) => f.trim());
        for (const f of formats)
          if (!(REPORT_FORMATS as readonly string[]).includes(f))
            throw new InvalidInputError(
              `${list === opts.formats ? '--formats' : '--format'}: the report is not written as '${f}' (${REPORT_FORMATS.join(', ')})`,
            );
        const dir = resolve(opts.out);
        mkdirSync(dir, { recursive: true });
        await withStore(g, async (store) => {
          const m = await buildReport(store, {
            reporter: parseIso3(opts.reporter, '--reporter'),
            partner: parseIso3(opts.partner, '--partner'),
            years: parseYears(opts.years),
            lang: opts.lang,
          });
          const base = `report-${m.reporter}-${m.partner}-${m.lang}`;
          const written: string[] = [];
          if (formats.includes('md')) written.push(write(join(dir, `${base}.md`), reportMarkdown(m)));
          if (formats.includes('html')) written.push(write(join(dir, `${base}.html`), await reportHtml(m)));
          if (formats.includes('json')) written.push(write(join(dir, `${base}.json`), JSON.stringify(m, null, 2)));
          if (formats.includes('pdf')) written.push(write(join(dir, `${base}.pdf`), await reportPdf(m)));
          if (formats.includes('xlsx')) {
            const wb = new (await excelJs()).Workbook();
            const names = new Set<string>();
            for (const s of m.sections)
              for (const t of s.tables) {
                // Excel refuses * ? : \ / [ ] in sheet names (table ids of link series carry colons).
                const id = t.id.replace(/[*?:\\/[\]]/g, '-');
                let name = id.slice(0, 31);
                for (let i = 2; names.has(name); i++) name = `${id.slice(0, 28)}-${i}`;
                names.add(name);
                const ws = wb.addWorksheet(name);
                const cols = t.rows.length ? Object.keys(t.rows[0]) : [];
                ws.addRow([t.title]);
                ws.addRow(cols).font = { bold: true };
                for (const r of t.rows)
                  ws.addRow(cols.map((c) => (r[c] === undefined ? null : (r[c] as ExcelJS.CellValue))));
                for (const n of t.notes) ws.addRow([n]);
              }
            const path = join(dir, `${base}.xlsx`);
            await wb.xlsx.writeFile(path);
            written.push(path);
          }
          process.stdout.write(written.map((w) => `${w}\n`).join(''));
          if (m.embeddedOnly)
            note(
              'the trade figures are the embedded published tables, not computations: import data to compute them (see README)',
            );
        });
      },
    );
}

function write(path: string, text: string | Uint8Array): string {
  writeFileSync(path, text);
  return path;
}
