import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { measureCounts, measureDetail, measureTimeline, type Lang, type MeasureFilter } from '../../measures/measureQueries.js';
import { readMeasures } from '../../measures/measureRegistry.js';
import { checkMeasuresAgainstStore } from '../../measures/measureStore.js';
import { tariffInForce } from '../../measures/tariffInForce.js';
import { eventStudy } from '../../measures/eventStudy.js';
import { riskList } from '../../risk/riskList.js';
import { readRiskConfig } from '../../risk/riskConfig.js';
import { federalRegisterCounts, listingsByYear, screeningChanges } from '../../measures/screeningQueries.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

interface TimelineOptions extends MeasureFilter {
  lang: Lang;
}

function dateOption(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`${option} takes a date as YYYY-MM-DD, not '${text}'`);
  return text;
}

function filterOf(o: TimelineOptions): MeasureFilter {
  return { actor: o.actor, target: o.target, instrument: o.instrument, field: o.field, from: dateOption(o.from, '--from'), to: dateOption(o.to, '--to') };
}

const langOption = () => new Option('--lang <lang>', 'language of titles and labels').choices(['zh', 'en']).default('en');

function withFilters(cmd: Command): Command {
  return cmd
    .option('--actor <code>', 'who took the measure (USA, CHN, NLD, JPN, EU…)')
    .option('--target <code>', 'whom it targets')
    .option('--instrument <id>', 'instrument (tariff, export-control, entity-listing, …; see `decouple measures instruments`)')
    .option('--field <field>', 'economic | technology | finance | people')
    .option('--from <date>', 'announced or in force on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'announced or in force on or before this date (YYYY-MM-DD)')
    .addOption(langOption());
}

/** Registers `measures` (timeline), `measures show`, `measures counts`, `measures check`. */
export function registerMeasureCommands(program: Command): void {
  const measures = withFilters(
    program.command('measures').description('the measures registry as a timeline: tariffs, export controls, entity listings, investment, people, alliances and countermeasures'),
  ).action(async (opts: TimelineOptions, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) => {
      const rows = await measureTimeline(store, filterOf(opts), opts.lang);
      if (rows.length === 0) note('no measure matches these filters');
      printRows(rows, g);
    });
  });

  measures
    .command('show')
    .description('one measure: dates, legal basis, summary, tariff lists, products, sources')
    .argument('<id>', 'measure id (from the timeline)')
    .addOption(langOption())
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      // --lang may be taken by the parent command, so read it with the globals.
      const g = cmd.optsWithGlobals<GlobalOptions & { lang: Lang }>();
      await withStore(g, async (store) => process.stdout.write(await measureDetail(store, id, g.lang)));
    });

  withFilters(measures.command('counts').description('number of measures by year, actor, instrument or field'))
    .addOption(new Option('--by <dimension>', 'what to count by').choices(['year', 'actor', 'instrument', 'field']).default('year'))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions & TimelineOptions & { by: 'year' | 'actor' | 'instrument' | 'field' }>();
      await withStore(g, async (store) => printRows(await measureCounts(store, g.by, filterOf(g), g.lang), g));
    });

  measures
    .command('check')
    .description('validate measure files (schema, dates, references, economies, HS codes in their vintage) without storing them')
    .argument('<files...>', 'YAML files in the registry format (docs/measures.md)')
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const list = readMeasures(files);
      await withStore(g, async (store) => {
        for (const n of await checkMeasuresAgainstStore(store, list, files.map((f) => resolve(f)).join(','))) note(n);
      });
      process.stdout.write(`${list.length} measures valid in ${files.length} file(s)\n`);
    });
}

interface TariffOptions {
  importer: string;
  exporter: string;
  hs6: string;
  date: string;
}

/** Registers `tariff`: the additional tariff in force on HS6 lines on a date. */
export function registerTariffCommand(program: Command): void {
  program
    .command('tariff')
    .description('additional tariff in force on HS6 products on a date, from every imported tariff file (HTS8 lines aggregated to HS6)')
    .requiredOption('--importer <ISO3>', 'who imposes the tariff (USA, CHN)')
    .requiredOption('--exporter <ISO3>', 'whose goods it hits')
    .requiredOption('--hs6 <codes>', 'HS6 codes, comma-separated')
    .requiredOption('--date <YYYY-MM-DD>', 'the date')
    .action(async (opts: TariffOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const hs6 = opts.hs6.split(',').map((c) => c.trim());
      for (const c of hs6) if (!/^\d{6}$/.test(c)) throw new Error(`--hs6 takes 6-digit HS codes, not '${c}'`);
      const date = dateOption(opts.date, '--date')!;
      await withStore(g, async (store) => {
        const rows = await tariffInForce(store, { importer: opts.importer.toUpperCase(), exporter: opts.exporter.toUpperCase(), hs6, date });
        if (rows.length === 0) throw new Error(`no tariff file for ${opts.importer} on ${opts.exporter} in the store; import one with decouple import tariffs`);
        printRows(rows, g);
        note('lines_known: national lines under the HS6 seen in the tariff files or in the importer\'s 8/10-digit import data; exclusions are counted, not applied');
      });
    });
}

interface EventStudyOptions {
  measure: string;
  importer: string;
  exporter: string;
  date?: string;
  before: string;
  after: string;
  threshold: string;
  byMonth?: boolean;
}

/** Registers `event-study`: difference in differences of trade after a tariff measure. */
export function registerEventStudyCommand(program: Command): void {
  program
    .command('event-study')
    .description("what trade did after a tariff measure: treated vs untouched products, the exporter's import share and log value, by month")
    .requiredOption('--measure <id>', 'a tariff measure of the registry whose lists are imported (e.g. us-301-list3)')
    .option('--importer <ISO3>', 'the economy imposing the measure', 'USA')
    .option('--exporter <ISO3>', 'the economy it targets', 'CHN')
    .option('--date <YYYY-MM-DD>', "event date (default: the measure's entry into force)")
    .option('--before <months>', 'months before the event month', '12')
    .option('--after <months>', 'months after the event month', '11')
    .option('--threshold <share>', "share of a product group's HS6 codes on the lists for it to count as treated", '0.5')
    .option('--by-month', 'print the event-time table (effects and group means by month) instead of the summary')
    .action(async (opts: EventStudyOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const int = (v: string, name: string) => {
        if (!/^\d+$/.test(v)) throw new Error(`${name} takes a whole number of months, not '${v}'`);
        return Number(v);
      };
      const threshold = Number(opts.threshold);
      if (!(threshold > 0 && threshold <= 1)) throw new Error(`--threshold takes a share between 0 and 1, not '${opts.threshold}'`);
      await withStore(g, async (store) => {
        const r = await eventStudy(store, {
          measure: opts.measure, importer: opts.importer.toUpperCase(), exporter: opts.exporter.toUpperCase(), date: dateOption(opts.date, '--date'),
          before: int(opts.before, '--before'), after: int(opts.after, '--after'), threshold,
        });
        printRows(opts.byMonth ? r.byMonth : r.summary, g);
        for (const n of r.notes) note(n);
      });
    });
}

/** Registers `screening` and `federal-register`: entity lists over time and Federal Register documents. */
export function registerListCommands(program: Command): void {
  program
    .command('screening')
    .description('Consolidated Screening List snapshots: entries, additions and removals by list, or listings by year')
    .option('--country <ISO3>', 'entries with an address in this economy (e.g. CHN)')
    .option('--list <code>', 'one list: EL (Entity List), SDN, UVL, MEU, DPL, CMIC, …')
    .addOption(new Option('--by <view>', 'snapshot: entries, added, removed per snapshot; year: latest snapshot by listing year').choices(['snapshot', 'year']).default('snapshot'))
    .action(async (opts: { country?: string; list?: string; by: 'snapshot' | 'year' }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        const f = { country: opts.country, list: opts.list };
        const rows = opts.by === 'year' ? await listingsByYear(store, f) : await screeningChanges(store, f);
        if (rows.length === 0) throw new Error('no screening-list snapshot matches: import one with decouple import screening-list');
        printRows(rows, g);
      });
    });
  program
    .command('federal-register')
    .description('Federal Register documents in the store, counted by month or year and type')
    .option('--term <text>', 'only documents whose title or abstract contains this text')
    .addOption(new Option('--by <period>', 'month or year').choices(['month', 'year']).default('month'))
    .action(async (opts: { term?: string; by: 'month' | 'year' }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => printRows(await federalRegisterCounts(store, opts.term, opts.by), g));
    });
}

interface RiskOptions {
  importer: string;
  supplier: string;
  year?: string;
  allies?: string;
  top: string;
  config?: string;
  lang: 'en' | 'zh';
  group?: string;
}

/** Returns ISO3 codes from a list of codes and group ids (group:G7 or G7), members on the date. */
async function expandEconomies(store: import('../../store/store.js').Store, list: string, date: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const id = item.replace(/^group:/i, '');
    const members = await store.all(
      `SELECT iso3 FROM country_group_members WHERE upper(group_id) = upper($1) AND from_date <= $2::DATE AND (to_date IS NULL OR to_date >= $2::DATE) ORDER BY iso3`,
      [id, date],
    );
    if (members.length) out.push(...members.map((m) => String(m.iso3)));
    else if (/^[A-Za-z]{3}$/.test(item)) out.push(item.toUpperCase());
    else throw new Error(`--allies: '${item}' is neither an ISO3 code nor a country group (decouple groups lists them)`);
  }
  return [...new Set(out)];
}

/** Registers `risk`: the risk list of products where the importer depends on the supplier. */
export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description('the risk list (风险清单): HS6 products where the importer depends on the supplier, ranked and explained')
    .requiredOption('--importer <ISO3>', 'the dependent economy')
    .requiredOption('--supplier <ISO3>', 'the economy it depends on')
    .option('--year <YYYY>', 'year (default: the latest with data)')
    .option('--allies <list>', "the supplier's allies: ISO3 codes or groups (G7, EU, CHIP4), comma-separated")
    .option('--top <n>', 'how many products', '30')
    .option('--config <file>', 'weights and thresholds (default data/risk-config.yaml)')
    .option('--group <SET:NAME>', 'only products of one group (bec-stage:intermediate, bec-category:parts-accessories, a user set)')
    .addOption(new Option('--lang <lang>', 'language of the explanations').choices(['zh', 'en']).default('en'))
    .action(async (opts: RiskOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const cfg = readRiskConfig(opts.config);
      const top = Number(opts.top);
      if (!(Number.isInteger(top) && top > 0)) throw new Error(`--top takes a positive whole number, not '${opts.top}'`);
      if (opts.year !== undefined && !/^\d{4}$/.test(opts.year)) throw new Error(`--year takes YYYY, not '${opts.year}'`);
      await withStore(g, async (store) => {
        const year = opts.year ? Number(opts.year) : undefined;
        const allies = opts.allies ? (await expandEconomies(store, opts.allies, `${year ?? new Date().getUTCFullYear()}-12-31`)).filter((a) => a !== opts.supplier.toUpperCase()) : [];
        const m = opts.group ? /^([a-z0-9-]+):([a-z0-9-]+)$/.exec(opts.group) : undefined;
        if (opts.group && !m) throw new Error(`--group takes SET:NAME (e.g. bec-stage:intermediate), not '${opts.group}'`);
        const group = m ? { set: m[1], name: m[2] } : undefined;
        const r = await riskList(store, { importer: opts.importer.toUpperCase(), supplier: opts.supplier.toUpperCase(), year, allies, top, lang: opts.lang, group }, cfg);
        printRows(r.rows, g);
        note(`settings: ${r.settings}`);
        for (const n of r.notes) note(`note: ${n}`);
      });
    });
}
