import { Option, type Command } from 'commander';
import { groupMembersOn } from '../../countries/groups.js';
import { riskList } from '../../risk/riskList.js';
import { readRiskConfig } from '../../risk/riskConfig.js';
import type { Store } from '../../store/store.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { InvalidInputError, parseIso3, type Iso3 } from '../../core/index.js';

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
async function expandEconomies(store: Store, list: string, date: string): Promise<Iso3[]> {
  const groups = new Map(
    (await store.all(`SELECT group_id FROM country_groups`)).map((r) => [
      String(r.group_id).toUpperCase(),
      String(r.group_id),
    ]),
  );
  const out: Iso3[] = [];
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const group = groups.get(item.replace(/^group:/i, '').toUpperCase());
    if (group) out.push(...(await groupMembersOn(store, group, date)).map((m) => parseIso3(m, `group ${group}`)));
    else if (/^[A-Za-z]{3}$/.test(item)) out.push(parseIso3(item, '--allies'));
    else
      throw new InvalidInputError(
        `--allies: '${item}' is neither an ISO3 code nor a country group (decouple groups lists them)`,
      );
  }
  return [...new Set(out)];
}

/** Registers `risk`: the risk list of products where the importer depends on the supplier. */
export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description(
      'the risk list (风险清单): HS6 products where the importer depends on the supplier, ranked and explained',
    )
    .requiredOption('--importer <ISO3>', 'the dependent economy')
    .requiredOption('--supplier <ISO3>', 'the economy it depends on')
    .option('--year <YYYY>', 'year (default: the latest with data)')
    .option('--allies <list>', "the supplier's allies: ISO3 codes or groups (G7, EU, CHIP4), comma-separated")
    .option('--top <n>', 'how many products', '30')
    .option('--config <file>', 'weights and thresholds (default data/risk-config.yaml)')
    .option(
      '--group <SET:NAME>',
      'only products of one group (bec-stage:intermediate, bec-category:parts-accessories, a user set)',
    )
    .addOption(new Option('--lang <lang>', 'language of the explanations').choices(['zh', 'en']).default('en'))
    .action(async (opts: RiskOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const importer = parseIso3(opts.importer, '--importer');
      const supplier = parseIso3(opts.supplier, '--supplier');
      const cfg = readRiskConfig(opts.config);
      const top = Number(opts.top);
      if (!(Number.isInteger(top) && top > 0))
        throw new InvalidInputError(`--top takes a positive whole number, not '${opts.top}'`);
      if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
        throw new InvalidInputError(`--year takes YYYY, not '${opts.year}'`);
      await withStore(g, async (store) => {
        const year = opts.year ? Number(opts.year) : undefined;
        const allies = opts.allies
          ? (await expandEconomies(store, opts.allies, `${year ?? new Date().getUTCFullYear()}-12-31`)).filter(
              (a) => a !== supplier,
            )
          : [];
        const m = opts.group ? /^([a-z0-9-]+):([a-z0-9-]+)$/.exec(opts.group) : undefined;
        if (opts.group && !m)
          throw new InvalidInputError(`--group takes SET:NAME (e.g. bec-stage:intermediate), not '${opts.group}'`);
        const group = m ? { set: m[1], name: m[2] } : undefined;
        const r = await riskList(store, { importer, supplier, year, allies, top, lang: opts.lang, group }, cfg);
        printRows(r.rows, g);
        note(`settings: ${r.settings}`);
        for (const n of r.notes) note(`note: ${n}`);
      });
    });
}
