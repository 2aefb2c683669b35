import { dirname, isAbsolute, resolve } from 'node:path';
import { DuckDBInstance } from '../store/index.js';
import type { Store } from '../store/store.js';
import { readFactFile } from '../util/factFile.js';
import { groupMembersOn } from '../countries/groups.js';
import { flowDatasetId } from './flowPanel.js';
import { sqlString } from '../files/csvStage.js';
import { solveGeneralEquilibrium, type GeBaseline, type GeSolution } from './generalEquilibrium.js';
import { scenarioSchema, type Scenario, type ScenarioShock } from './scenarioSchema.js';

/** Returns a validated scenario file; errors name the file, line and field. */
export function readScenario(path: string): Scenario {
  return readFactFile(path, scenarioSchema);
}

/** The baseline the model starts from, with what it is made of. */
export interface ScenarioBaseline extends GeBaseline {
  description: string;
  descriptionZh: string;
  hasInternalFlows: boolean;
  /** Share of the baseline's value taken from the other side's reports (mirror data). */
  mirroredShare: number;
}

/** The fewest reporting economies a store baseline may have: below it, the data are not world trade. */
const MIN_BASELINE_REPORTERS = 30;

async function baselineFromStore(
  store: Store,
  spec: { dataset: number | string; year: number; side: 'importer' | 'exporter' },
): Promise<ScenarioBaseline> {
  const b = { ...spec, dataset: await flowDatasetId(store, spec.dataset, [spec.year, spec.year]) };
  const other = b.side === 'importer' ? 'exporter' : 'importer';
  const side = (s: string) => `SELECT exporter, importer, sum(value_usd) AS v FROM flows
      WHERE dataset_id = ${b.dataset} AND year = ${b.year} AND product_level = 0 AND month IS NULL AND reporter_side = '${s}'
        AND exporter <> importer
        AND exporter IN (SELECT iso3 FROM countries WHERE NOT is_aggregate)
        AND importer IN (SELECT iso3 FROM countries WHERE NOT is_aggregate)
      GROUP BY ALL`;
  const rows = await store.all(`WITH p AS (${side(b.side)}), m AS (${side(other)})
    SELECT coalesce(p.exporter, m.exporter) AS exporter, coalesce(p.importer, m.importer) AS importer,
      coalesce(p.v, m.v) AS value, p.v IS NULL AS mirrored
    FROM p FULL JOIN m ON p.exporter = m.exporter AND p.importer = m.importer`);
  if (rows.length === 0)
    throw new Error(
      `dataset ${b.dataset} has no annual total flows between economies in ${b.year} (see: decouple datasets)`,
    );
  // A general equilibrium needs the world's trade: the reports of many economies, not one economy's partners.
  const reporters = await store.all(
    `SELECT DISTINCT ${b.side} AS e FROM flows WHERE dataset_id = ${b.dataset} AND year = ${b.year} AND product_level = 0
       AND month IS NULL AND reporter_side = '${b.side}' AND ${b.side} IN (SELECT iso3 FROM countries WHERE NOT is_aggregate)
     ORDER BY e`,
  );
  if (reporters.length < MIN_BASELINE_REPORTERS)
    throw new Error(
      `the baseline data of ${b.year} hold the reports of ${reporters.length} economies (${reporters
        .slice(0, 5)
        .map((r) => r.e)
        .join(
          ', ',
        )}): a general equilibrium needs world trade (${MIN_BASELINE_REPORTERS} or more reporting economies); import the IMF DOTS file with all reporters (decouple fetch dots)`,
    );
  const file = await store.one(`SELECT file_name, source FROM datasets WHERE dataset_id = ${b.dataset}`);
  const flows = rows.map((r) => ({
    exporter: String(r.exporter),
    importer: String(r.importer),
    value: Number(r.value),
    mirrored: Boolean(r.mirrored),
  }));
  const total = flows.reduce((s, f) => s + f.value, 0);
  const mirrored = flows.filter((f) => f.mirrored).reduce((s, f) => s + f.value, 0);
  const base = matrixOf(flows);
  return {
    ...base,
    hasInternalFlows: false,
    mirroredShare: total > 0 ? mirrored / total : 0,
    description: `${file?.file_name} (${file?.source}), ${b.year}, annual totals reported by the ${b.side}s (filled from the ${other}s' reports where missing), ${base.economies.length} economies`,
    descriptionZh: `数据文件 ${file?.file_name}，${b.year} 年，${b.side === 'importer' ? '进口方' : '出口方'}申报的年度总额（缺失处以${b.side === 'importer' ? '出口方' : '进口方'}申报补足），${base.economies.length} 个经济体`,
  };
}

async function baselineFromFile(file: string): Promise<ScenarioBaseline> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection
      .runAndReadAll(`SELECT * FROM read_csv(${sqlString(file)}, header = true)`)
      .catch((err: Error) => {
        throw new Error(`${file}: cannot be read (${err.message.split('\n')[0]})`);
      });
    const names = reader.columnNames();
    for (const c of ['exporter', 'importer', 'value'])
      if (!names.includes(c)) throw new Error(`${file}: no column '${c}' (columns: ${names.join(', ')})`);
    const flows = reader.getRowObjects().map((r, i) => {
      const value = Number(r.value);
      if (!Number.isFinite(value) || value < 0)
        throw new Error(`${file}, line ${i + 2}: field value: '${r.value}' is not a non-negative number`);
      return { exporter: String(r.exporter), importer: String(r.importer), value };
    });
    const base = matrixOf(flows);
    const N = base.economies.length;
    let internal = 0;
    for (let i = 0; i < N; i++) if (base.flows[i * N + i] > 0) internal++;
    return {
      ...base,
      hasInternalFlows: internal === N,
      mirroredShare: 0,
      description: `${file}, ${N} economies${internal ? `, internal flows for ${internal}` : ''}`,
      descriptionZh: `${file}，${N} 个经济体${internal ? `，其中 ${internal} 个有国内流量` : ''}`,
    };
  } finally {
    connection.closeSync();
  }
}

function matrixOf(flows: { exporter: string; importer: string; value: number }[]): GeBaseline {
  const economies = [...new Set(flows.flatMap((f) => [f.exporter, f.importer]))].sort();
  const index = new Map(economies.map((e, i) => [e, i]));
  const N = economies.length;
  const m = new Float64Array(N * N);
  for (const f of flows) m[index.get(f.exporter)! * N + index.get(f.importer)!] += f.value;
  return { economies, flows: m };
}

/** Returns the baseline a scenario names: from the store or from a CSV beside the scenario file. */
export async function loadScenarioBaseline(
  store: Store | undefined,
  s: Scenario,
  scenarioPath: string,
): Promise<ScenarioBaseline> {
  if ('file' in s.baseline) {
    const file = isAbsolute(s.baseline.file) ? s.baseline.file : resolve(dirname(scenarioPath), s.baseline.file);
    return baselineFromFile(file);
  }
  if (!store) throw new Error('this scenario takes its baseline from the store; open one with --db');
  return baselineFromStore(store, s.baseline);
}

/** Returns the economies a shock names: ISO3 codes in the baseline, or the members of a country group of the store. */
async function resolveEconomies(
  store: Store | undefined,
  codes: string[],
  baseline: ScenarioBaseline,
  date: string,
): Promise<string[]> {
  const out = new Set<string>();
  for (const code of codes) {
    if (baseline.economies.includes(code)) {
      out.add(code);
      continue;
    }
    const members = store ? await groupMembersOn(store, code, date).catch(() => [] as string[]) : [];
    if (members.length === 0)
      throw new Error(
        `${code} is neither an economy of the baseline nor a country group of the store (see: decouple groups)`,
      );
    for (const m of members) if (baseline.economies.includes(m)) out.add(m);
  }
  return [...out];
}

/** Returns the trade-cost change τ̂ a shock applies (Infinity when prohibitive). */
function costFactor(s: ScenarioShock): number {
  if (s.prohibitive) return Infinity;
  if (s.tariff) return (1 + s.tariff.to) / (1 + s.tariff.from);
  return s.cost_change!;
}

/** A shock as applied: the economies it reached and its τ̂. */
export interface AppliedShock {
  exporters: string[];
  importers: string[];
  bothDirections: boolean;
  costChange: number;
  pairs: number;
}

/** What a scenario run returns: the settings, the baseline, the equilibrium and tables ready to print. */
export interface ScenarioResult {
  scenario: Scenario;
  baseline: ScenarioBaseline;
  shocks: AppliedShock[];
  solution: GeSolution;
  economies: Record<string, string | number | null>[];
  diversion: Record<string, string | number | null>[];
  notes: string[];
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** Returns a small number as Chinese texts write it: 8.0×10⁻¹³ (not 8.0e-13). */
function timesTenTo(v: number): string {
  const [mantissa, exponent] = v.toExponential(1).split('e');
  return `${mantissa}×10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

function pct(a: number, b: number): number | null {
  return b > 0 ? (a / b - 1) * 100 : null;
}

/**
 * Returns a scenario's general-equilibrium outcome: for every economy the
 * change in exports, imports (both without internal flows), output and, when
 * the baseline has internal flows, real income; and for each focus economy
 * the change of its exports to and imports from every partner (diversion),
 * with notes in `lang` on the baseline, settings and limits.
 */
export async function runScenario(
  store: Store | undefined,
  s: Scenario,
  scenarioPath: string,
  lang: 'en' | 'zh' = 'en',
): Promise<ScenarioResult> {
  const baseline = await loadScenarioBaseline(store, s, scenarioPath);
  const N = baseline.economies.length;
  const index = new Map(baseline.economies.map((e, i) => [e, i]));
  const date = 'year' in s.baseline ? `${s.baseline.year}-12-31` : new Date().toISOString().slice(0, 10);
  const tau = new Float64Array(N * N).fill(1);
  const shocks: AppliedShock[] = [];
  for (const shock of s.shocks) {
    const ex = await resolveEconomies(store, shock.exporters, baseline, date);
    const im = await resolveEconomies(store, shock.importers, baseline, date);
    const c = costFactor(shock);
    let pairs = 0;
    const apply = (from: string[], to: string[]) => {
      for (const a of from)
        for (const b of to) {
          if (a === b) continue;
          tau[index.get(a)! * N + index.get(b)!] *= c;
          pairs++;
        }
    };
    apply(ex, im);
    if (shock.both_directions) apply(im, ex);
    shocks.push({ exporters: ex, importers: im, bothDirections: shock.both_directions, costChange: c, pairs });
  }
  const solution = solveGeneralEquilibrium(baseline, tau, { elasticity: s.elasticity.value });
  const X = baseline.flows;
  const X1 = solution.flows;
  const names = new Map<string, { en: string; zh: string | null }>();
  if (store) {
    for (const r of await store.all(`SELECT iso3, name_en, name_zh FROM countries`))
      names.set(String(r.iso3), { en: String(r.name_en), zh: r.name_zh === null ? null : String(r.name_zh) });
  }
  const economies = baseline.economies.map((e, i) => {
    let ex0 = 0,
      ex1 = 0,
      im0 = 0,
      im1 = 0;
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      ex0 += X[i * N + j];
      ex1 += X1[i * N + j];
      im0 += X[j * N + i];
      im1 += X1[j * N + i];
    }
    return {
      economy: e,
      name_en: names.get(e)?.en ?? null,
      name_zh: names.get(e)?.zh ?? null,
      exports_base_usd: ex0,
      exports_change_pct: pct(ex1, ex0),
      imports_base_usd: im0,
      imports_change_pct: pct(im1, im0),
      output_change_pct: (solution.outputChange[i] - 1) * 100,
      price_index_change_pct: (solution.priceIndexChange[i] - 1) * 100,
      real_income_change_pct: baseline.hasInternalFlows ? (solution.realIncomeChange[i] - 1) * 100 : null,
    };
  });
  const diversion: Record<string, string | number | null>[] = [];
  for (const f of s.focus) {
    const a = index.get(f);
    if (a === undefined) continue;
    for (let j = 0; j < N; j++) {
      if (j === a || (X[a * N + j] === 0 && X[j * N + a] === 0)) continue;
      diversion.push({
        economy: f,
        partner: baseline.economies[j],
        exports_base_usd: X[a * N + j],
        exports_new_usd: X1[a * N + j],
        exports_change_pct: pct(X1[a * N + j], X[a * N + j]),
        imports_base_usd: X[j * N + a],
        imports_new_usd: X1[j * N + a],
        imports_change_pct: pct(X1[j * N + a], X[j * N + a]),
      });
    }
  }
  const mirrored = (baseline.mirroredShare * 100).toFixed(1);
  const factor = (c: number) => (c === Infinity ? '∞' : c.toFixed(4));
  const notes =
    lang === 'zh'
      ? [
          `基准：${baseline.descriptionZh}。`,
          ...(baseline.mirroredShare > 0 ? [`基准值中有 ${mirrored}% 取自对方申报（镜像数据）。`] : []),
          `贸易弹性 θ = ${s.elasticity.value}（${s.elasticity.source_zh ?? s.elasticity.source}）。`,
          ...shocks.map(
            (sh) =>
              `冲击：${sh.exporters.join(' ')} → ${sh.importers.join(' ')}${sh.bothDirections ? '（双向）' : ''}的 ${sh.pairs} 个流量，贸易成本 ×${factor(sh.costChange)}${sh.costChange === Infinity ? '（贸易中断）' : ''}。`,
          ),
          `均衡经 ${solution.iterations} 次迭代求得，最大超额需求 ${timesTenTo(solution.maxExcessDemand)}；以世界产出为计价物。`,
          baseline.hasInternalFlows
            ? '实际收入变化为 Ê/P̂（Head and Mayer 2014，第 4.3 节）。'
            : '基准不含国内（内部）流量，模型中各经济体只购买进口品、只销售出口品：因此只报告贸易变化，不报告实际收入（福利），否则会被高估。提供含内部流量（出口方 = 进口方）的基准文件即可得到。',
          '关税按贸易成本处理（关税收入不返还）；基准中为零的流量保持为零。',
        ]
      : [
          `Baseline: ${baseline.description}.`,
          ...(baseline.mirroredShare > 0
            ? [`${mirrored}% of the baseline's value comes from the other side's reports (mirror data).`]
            : []),
          `Trade elasticity θ = ${s.elasticity.value} (${s.elasticity.source}).`,
          ...shocks.map(
            (sh) =>
              `Shock: trade costs ×${factor(sh.costChange)}${sh.costChange === Infinity ? ' (prohibitive)' : ''} on ${sh.pairs} flow${sh.pairs === 1 ? '' : 's'}, ${sh.exporters.join(' ')} → ${sh.importers.join(' ')}${sh.bothDirections ? ' and back' : ''}.`,
          ),
          `Equilibrium after ${solution.iterations} iterations; largest excess demand ${solution.maxExcessDemand.toExponential(1)}. World output is the numeraire.`,
          baseline.hasInternalFlows
            ? 'Real income changes are Ê/P̂ (Head and Mayer 2014, section 4.3).'
            : 'The baseline has no internal (domestic) flows, so each economy is modelled as spending only on imports and selling only exports: changes in trade are shown, real income (welfare) is not, because without domestic sales it would be overstated. Give a baseline file with internal flows (exporter = importer) to get it.',
          'Tariffs are modelled as trade costs (their revenue is not rebated); flows that are zero in the baseline stay zero.',
        ];
  return { scenario: s, baseline, shocks, solution, economies, diversion, notes };
}
