import { GROUP_SETS } from './productGroups.js';
import { INDICATORS } from './registry.js';

/** Returns the indicator documentation page (Markdown), generated from the registry and the product group sets. */
export function indicatorDocsMarkdown(): string {
  const out: string[] = [
    '# Indicators · 指标',
    '',
    'Generated from the indicator registry (`src/indicators/registry.ts`) by `decouple indicators --markdown`; do not edit by hand.',
    'Every indicator is computed with `decouple compute ID [options]`; `--summary` adds the change between two years (level, change in points or percent, CAGR, peak).',
    '',
  ];
  for (const d of INDICATORS) {
    out.push(
      `## \`${d.id}\` — ${d.name.en} · ${d.name.zh}`,
      '',
      `- **Formula**: ${d.formula}`,
      `- **Unit**: ${d.unit}`,
      `- **Data needed**: ${d.needs}`,
      `- **Reading**: ${d.reading.en}`,
      `- **解读**: ${d.reading.zh}`,
      `- **Reference**: ${d.reference}`,
      `- **Options**: ${d.params.map((p) => `\`--${p}\``).join(' ')}`,
      '',
    );
  }
  out.push('## Product group sets · 产品分组', '');
  for (const s of GROUP_SETS) {
    out.push(
      `### \`${s.id}\` — ${s.name.en} · ${s.name.zh}`,
      '',
      `- **Definition**: ${s.definition}`,
      `- **Source**: ${s.source}`,
    );
    const groups = Object.entries(s.groups);
    if (groups.length) out.push(`- **Groups**: ${groups.map(([id, n]) => `\`${id}\` ${n.en} · ${n.zh}`).join('; ')}`);
    out.push('');
  }
  out.push(
    'User-defined sets: a YAML file named by `$DECOUPLE_PRODUCT_GROUPS` with `sets: [{ id, name_en, name_zh, source, groups: [{ name, name_en, name_zh, hs: [prefixes] }] }]`; the longest matching HS prefix decides.',
    '',
  );
  return out.join('\n');
}
