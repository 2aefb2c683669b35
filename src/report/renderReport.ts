import { vegaLibraries } from '../util/lazyModules.js';
import type { Row } from '../store/store.js';
import type { ReportModel, ReportTable } from './reportModel.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 2);
  return String(v);
}

function columns(rows: Row[]): string[] {
  return rows.length ? Object.keys(rows[0]) : [];
}

/**
 * Returns text safe inside Markdown: angle brackets as entities (a renderer
 * would otherwise pass raw HTML from data values through) and the
 * characters that start links, emphasis or table cells escaped.
 */
export function markdownText(s: string): string {
  return s
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Returns the SVG of a Vega-Lite chart (rendered headless). */
export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  const { vega, compile } = await vegaLibraries();
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function firstPage(m: ReportModel): string {
  const list = m.published.join(', ');
  if (m.lang === 'zh') {
    if (m.embeddedOnly)
      return '本报告基于程序内置的参考数据（措施登记册，以及赵、刘2025年论文中已发表的表格），不是根据原始数据计算的结果；导入原始数据后重新生成即可计算各表。';
    return `除措施登记册外，本报告的表格由已导入的原始数据计算得出（数据集见“数据说明”）${list ? `；其中${list}为论文已发表数值，并非计算结果` : ''}。`;
  }
  if (m.embeddedOnly)
    return 'This report runs on the embedded reference data (the measures registry and the published tables of Zhao & Liu 2025), not on computations from raw data; import data and run it again to compute the tables.';
  return `Apart from the measures registry, the tables are computed from the raw data imported into the store (datasets under "Data notes")${list ? `; ${list} hold published figures from the papers, not computations` : ''}.`;
}

/** Returns the report as Markdown (tables as pipe tables, charts left to the HTML). */
export function reportMarkdown(m: ReportModel): string {
  const out: string[] = [`# ${m.title}`, '', `_${m.generated}_`, '', `> ${firstPage(m)}`, ''];
  const table = (t: ReportTable) => {
    const cols = columns(t.rows);
    out.push(`### ${markdownText(t.title)} {#${t.id}}`, '');
    if (!cols.length) return out.push('(no rows)', '');
    out.push(`| ${cols.map(markdownText).join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${cols.map((c) => markdownText(cell(r[c]))).join(' | ')} |`);
    out.push('');
    for (const n of t.notes) out.push(`- ${markdownText(n)}`);
    if (t.notes.length) out.push('');
  };
  for (const s of m.sections) {
    out.push(`## ${markdownText(s.title)}`, '');
    for (const f of s.findings) out.push(`- ${markdownText(f.text)} ([${f.table}](#${f.table}))`);
    if (s.findings.length) out.push('');
    for (const t of s.tables) table(t);
    for (const x of s.missing) out.push(`- ${m.lang === 'zh' ? '无法计算' : 'Not computed'}: ${markdownText(x)}`);
    if (s.missing.length) out.push('');
  }
  return out.join('\n');
}

/** Returns the report as one self-contained HTML file with charts inline as SVG. */
export async function reportHtml(m: ReportModel): Promise<string> {
  const parts: string[] = [];
  for (const s of m.sections) {
    parts.push(`<section id="${s.id}"><h2>${esc(s.title)}</h2>`);
    if (s.findings.length)
      parts.push(
        `<ul class="findings">${s.findings.map((f) => `<li>${esc(f.text)} <a href="#${f.table}">→</a></li>`).join('')}</ul>`,
      );
    for (const c of s.charts)
      parts.push(`<figure id="${c.id}">${await chartSvg(c.spec)}<figcaption>${esc(c.title)}</figcaption></figure>`);
    for (const t of s.tables) {
      const cols = columns(t.rows);
      parts.push(`<h3 id="${t.id}">${esc(t.title)}</h3>`);
      parts.push(`<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>`);
      for (const r of t.rows)
        parts.push(
          `<tr>${cols.map((c) => `<td${typeof r[c] === 'number' ? ' class="n"' : ''}>${esc(cell(r[c]))}</td>`).join('')}</tr>`,
        );
      parts.push('</tbody></table>');
      if (t.notes.length) parts.push(`<ul class="notes">${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
    }
    if (s.missing.length) parts.push(`<ul class="missing">${s.missing.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
    parts.push('</section>');
  }
  const css = `body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:12px;margin:.5em 0 1em;display:block;overflow-x:auto}td,th{border:1px solid #ccc;padding:2px 6px}
td.n{text-align:right;font-variant-numeric:tabular-nums}.lead{background:#f4f6f8;padding:.8em;border-left:4px solid #4a6fa5}
.notes,.missing{font-size:12px;color:#555}figure{margin:1em 0}@media print{section{page-break-inside:avoid}}`;
  return `<!doctype html><html lang="${m.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(m.title)}</title><style>${css}</style></head><body>
<h1>${esc(m.title)}</h1><p>${m.generated}</p><p class="lead">${esc(firstPage(m))}</p>
${parts.join('\n')}
</body></html>
`;
}
