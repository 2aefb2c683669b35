import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { bulkInsert } from '../store/bulkInsert.js';
import { finishDataset, registerDataset } from '../store/provenance.js';
import { splitCsvLine } from '../files/csvStage.js';
import { shippedDataPath } from '../util/paths.js';

export const SEED_SOURCE = 'seed-figures';
export const SEED_CITATION_EN =
  'Zhao & Liu (2025), "US economic decoupling and de-risking from China: impact assessment and response", tables 1-7 (sources named: WITS; BEA for table 2)';
export const SEED_CITATION_ZH =
  '赵硕刚、刘雪燕（2025）《美国对华经贸脱钩与去风险：影响评估与应对思路》表1—表7（原文数据来源：WITS；表2为BEA）';

/** How one column of a seed table becomes a series. */
interface ColumnRule {
  column: string;
  indicator: string;
  country: string;
  partner: string;
  unit: 'USD' | 'percent';
}

const HUNDRED_MILLION = 1e8;

function rules(table: string): { paperTable: string; columns: ColumnRule[]; categoryColumn?: string } {
  const cn = (column: string, indicator: string, unit: ColumnRule['unit']) => ({
    column,
    indicator,
    country: 'CHN',
    partner: 'USA',
    unit,
  });
  const us = (column: string, indicator: string, unit: ColumnRule['unit']) => ({
    column,
    indicator,
    country: 'USA',
    partner: 'CHN',
    unit,
  });
  switch (table) {
    case 't1_china_us_goods':
      return {
        paperTable: '表1',
        columns: [
          cn('china_us_trade_100m_usd', 'goods_total', 'USD'),
          cn('share_of_china_trade_pct', 'goods_total_share_pct', 'percent'),
          cn('china_exports_to_us_100m_usd', 'goods_export', 'USD'),
          cn('share_of_china_exports_pct', 'goods_export_share_pct', 'percent'),
          cn('china_imports_from_us_100m_usd', 'goods_import', 'USD'),
          cn('share_of_china_imports_pct', 'goods_import_share_pct', 'percent'),
        ],
      };
    case 't2_us_china_services':
      return {
        paperTable: '表2',
        columns: [
          us('us_exports_to_china_100m_usd', 'services_export', 'USD'),
          us('share_of_us_services_exports_pct', 'services_export_share_pct', 'percent'),
          us('us_imports_from_china_100m_usd', 'services_import', 'USD'),
          us('share_of_us_services_imports_pct', 'services_import_share_pct', 'percent'),
        ],
      };
    case 't3_intermediate_shares':
      return {
        paperTable: '表3',
        columns: [
          cn('us_share_of_china_intermediate_trade_pct', 'intermediate_total_share_pct', 'percent'),
          cn('us_share_of_china_intermediate_exports_pct', 'intermediate_export_share_pct', 'percent'),
          cn('us_share_of_china_intermediate_imports_pct', 'intermediate_import_share_pct', 'percent'),
        ],
      };
    case 't4_intermediate_bec':
      return {
        paperTable: '表4',
        columns: [
          cn('food_bev_export_share_pct', 'bec_food_beverages_industry_export_share_pct', 'percent'),
          cn('food_bev_import_share_pct', 'bec_food_beverages_industry_import_share_pct', 'percent'),
          cn('industrial_supplies_export_share_pct', 'bec_industrial_supplies_export_share_pct', 'percent'),
          cn('industrial_supplies_import_share_pct', 'bec_industrial_supplies_import_share_pct', 'percent'),
          cn('parts_components_export_share_pct', 'bec_parts_accessories_export_share_pct', 'percent'),
          cn('parts_components_import_share_pct', 'bec_parts_accessories_import_share_pct', 'percent'),
        ],
      };
    case 't5_manufacturing':
      return {
        paperTable: '表5',
        columns: [
          cn('cn_trade_with_us_100m_usd', 'manufacturing_total', 'USD'),
          cn('cn_trade_share_pct', 'manufacturing_total_share_pct', 'percent'),
          cn('cn_exports_to_us_100m_usd', 'manufacturing_export', 'USD'),
          cn('cn_export_share_pct', 'manufacturing_export_share_pct', 'percent'),
          cn('cn_imports_from_us_100m_usd', 'manufacturing_import', 'USD'),
          cn('cn_import_share_pct', 'manufacturing_import_share_pct', 'percent'),
          us('us_trade_with_cn_100m_usd', 'manufacturing_total', 'USD'),
          us('us_trade_share_pct', 'manufacturing_total_share_pct', 'percent'),
          us('us_exports_to_cn_100m_usd', 'manufacturing_export', 'USD'),
          us('us_export_share_pct', 'manufacturing_export_share_pct', 'percent'),
          us('us_imports_from_cn_100m_usd', 'manufacturing_import', 'USD'),
          us('us_import_share_pct', 'manufacturing_import_share_pct', 'percent'),
        ],
      };
    case 't6_hightech_imports_from_us':
      return {
        paperTable: '表6',
        categoryColumn: 'category',
        columns: [
          cn('value_100m_usd', 'hightech_{category}_import', 'USD'),
          cn('share_pct', 'hightech_{category}_import_share_pct', 'percent'),
        ],
      };
    case 't7_hightech_exports_to_us':
      return {
        paperTable: '表7',
        categoryColumn: 'category',
        columns: [
          cn('value_100m_usd', 'hightech_{category}_export', 'USD'),
          cn('share_pct', 'hightech_{category}_export_share_pct', 'percent'),
        ],
      };
    default:
      throw new Error(`seed-figures: no rule for table ${table}`);
  }
}

function frequencyOf(period: string): string {
  if (/^\d{4}$/.test(period)) return 'A';
  if (/^\d{4}-\d{2}$/.test(period)) return 'M';
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return 'D';
  if (/^\d{4}-H[12]$/.test(period)) return 'H';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'Q';
  throw new Error(`seed-figures: unrecognised period '${period}'`);
}

function readCsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf-8')
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(splitCsvLine(l).map((v, i) => [header[i], v])));
}

/**
 * Loads the shipped seed figures into `series` (once per content version);
 * returns true when it loaded them now.
 */
export async function loadSeedFigures(store: Store): Promise<boolean> {
  const dir = shippedDataPath('seed-figures');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
  const sha = hash.digest('hex');
  const existing = await store.one(`SELECT dataset_id FROM datasets WHERE source = $1 AND sha256 = $2`, [
    SEED_SOURCE,
    sha,
  ]);
  if (existing) return false;
  await store.transaction(async () => {
    // A changed shipped version replaces the old one.
    const old = await store.all(`SELECT dataset_id FROM datasets WHERE source = $1`, [SEED_SOURCE]);
    for (const o of old) {
      await store.run('DELETE FROM series WHERE dataset_id = $1', [o.dataset_id as number]);
      await store.run('DELETE FROM datasets WHERE dataset_id = $1', [o.dataset_id as number]);
    }
    const id = await registerDataset(store, {
      source: SEED_SOURCE,
      kind: 'series',
      vintage: 'Zhao & Liu (2025)',
      file_name: files.join('; '),
      file_path: dir,
      sha256: sha,
      notes: `Published figures, not computed by this system. ${SEED_CITATION_EN}`,
    });
    const rows: unknown[][] = [];
    for (const f of files) {
      const table = f.replace(/\.csv$/, '');
      const data = readCsv(join(dir, f));
      if (table === 'facts') {
        for (const r of data) {
          const note = `seed ${r.seed} ${r.where}${r.source_named_in_paper ? `; source named in the paper: ${r.source_named_in_paper}` : ''}`;
          rows.push([
            id,
            `fact:${r.indicator}`,
            r.country || '',
            r.partner || '',
            frequencyOf(r.period),
            r.period,
            Number(r.period.slice(0, 4)),
            Number(r.value),
            r.unit,
            'published',
            `${r.topic}; ${note}`,
          ]);
        }
        continue;
      }
      const rule = rules(table);
      for (const r of data) {
        for (const c of rule.columns) {
          const raw = r[c.column];
          if (raw === undefined || raw === '') continue;
          const value = Number(raw) * (c.unit === 'USD' ? HUNDRED_MILLION : 1);
          const indicator = rule.categoryColumn
            ? c.indicator.replace('{category}', r[rule.categoryColumn])
            : c.indicator;
          rows.push([
            id,
            indicator,
            c.country,
            c.partner,
            'A',
            r.year,
            Number(r.year),
            value,
            c.unit,
            'published',
            `paper ${rule.paperTable}, column ${c.column}`,
          ]);
        }
      }
    }
    await bulkInsert(
      store,
      'series',
      [
        ['dataset_id', 'INTEGER'],
        ['indicator', 'VARCHAR'],
        ['country', 'VARCHAR'],
        ['partner', 'VARCHAR'],
        ['frequency', 'VARCHAR'],
        ['period', 'VARCHAR'],
        ['year', 'SMALLINT'],
        ['value', 'DOUBLE'],
        ['unit', 'VARCHAR'],
        ['flag', 'VARCHAR'],
        ['note', 'VARCHAR'],
      ].map(([name, type]) => ({ name, type })),
      rows,
    );
    await finishDataset(store, id, 'series');
  });
  return true;
}
