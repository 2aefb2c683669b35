import type { Row } from '../store/store.js';

export interface RiskFacts {
  importer: string;
  supplier: string;
  allies: string[];
  row: Row;
  comp: Record<string, number | null>;
  category: string;
  test: string;
}

function money(v: number, lang: 'en' | 'zh'): string {
  if (lang === 'zh') return v >= 1e8 ? `${(v / 1e8).toFixed(1)}亿美元` : `${(v / 1e4).toFixed(0)}万美元`;
  return v >= 1e9 ? `US$${(v / 1e9).toFixed(1)} bn` : `US$${(v / 1e6).toFixed(1)} m`;
}

const pct = (v: number) => `${(100 * v).toFixed(0)}%`;

/**
 * Returns one sentence saying why a product is on the risk list, built only
 * from the computed figures, in neutral words, in English or Chinese.
 */
export function explainRisk(f: RiskFacts, lang: 'en' | 'zh'): string {
  const r = f.row;
  const parts: string[] = [];
  const share = f.comp.supplier_share;
  if (lang === 'zh') {
    parts.push(
      share === null
        ? `${f.importer}自${f.supplier}进口${money(Number(r.supplier_usd), 'zh')}（无法计算份额）`
        : `${f.supplier}占${f.importer}该产品进口的${pct(share)}（${money(Number(r.supplier_usd), 'zh')}）`,
    );
    if (f.comp.import_hhi !== null)
      parts.push(
        `进口来源${f.comp.import_hhi > 0.4 ? '高度集中' : f.comp.import_hhi > 0.15 ? '较集中' : '较分散'}（HHI ${f.comp.import_hhi.toFixed(2)}）`,
      );
    if (f.comp.allied_share !== null && f.allies.length) parts.push(`连同其伙伴合计占${pct(f.comp.allied_share)}`);
    if (f.comp.world_export_hhi !== null) parts.push(`全球出口HHI为${f.comp.world_export_hhi.toFixed(2)}`);
    if (f.comp.low_substitutability !== null)
      parts.push(`该组以外经济体占全球出口的${pct(1 - f.comp.low_substitutability)}`);
    if (r.own_exports !== null && Number(r.own_exports) >= 0)
      parts.push(
        Number(r.own_exports) > 0
          ? `进口额为本国出口额的${(Number(r.total) / Number(r.own_exports)).toFixed(1)}倍`
          : `本国几乎无出口`,
      );
    if (r.tariff_pct !== null && r.tariff_pct !== undefined && Number(r.tariff_pct) > 0)
      parts.push(`现行加征关税${r.tariff_pct}%`);
    if (r.export_controls) parts.push(`已受出口管制（${r.export_controls}）`);
    if (f.test === 'dependent') parts.push('符合依赖性检验');
    return parts.join('；') + '。';
  }
  parts.push(
    share === null
      ? `${f.importer} imports ${money(Number(r.supplier_usd), 'en')} from ${f.supplier} (share not computable)`
      : `${f.supplier} supplies ${pct(share)} of ${f.importer}'s imports (${money(Number(r.supplier_usd), 'en')})`,
  );
  if (f.comp.import_hhi !== null)
    parts.push(
      `sources are ${f.comp.import_hhi > 0.4 ? 'highly concentrated' : f.comp.import_hhi > 0.15 ? 'moderately concentrated' : 'diversified'} (HHI ${f.comp.import_hhi.toFixed(2)})`,
    );
  if (f.comp.allied_share !== null && f.allies.length) parts.push(`${pct(f.comp.allied_share)} with its partners`);
  if (f.comp.world_export_hhi !== null) parts.push(`world exports HHI ${f.comp.world_export_hhi.toFixed(2)}`);
  if (f.comp.low_substitutability !== null)
    parts.push(`economies outside the group hold ${pct(1 - f.comp.low_substitutability)} of world exports`);
  if (r.own_exports !== null && Number(r.own_exports) >= 0)
    parts.push(
      Number(r.own_exports) > 0
        ? `imports are ${(Number(r.total) / Number(r.own_exports)).toFixed(1)} times own exports`
        : 'almost no own exports',
    );
  if (r.tariff_pct !== null && r.tariff_pct !== undefined && Number(r.tariff_pct) > 0)
    parts.push(`${r.tariff_pct}% additional tariff in force`);
  if (r.export_controls) parts.push(`under export controls (${r.export_controls})`);
  if (f.test === 'dependent') parts.push('passes the dependence test');
  return parts.join('; ') + '.';
}
