import { vegaLibraries } from '../util/lazyModules.js';
import type { ReportModel, ReportTable } from './reportModel.js';
import { presentTable, type PresentedTable } from './tablePresentation.js';
import { codeSpans } from './codeSpans.js';

const APPENDIX = { en: 'Appendix: full tables', zh: '附录：完整表格' };
const CONTENTS = { en: 'Contents', zh: '目录' };
const NOT_COMPUTED = { en: 'Not computed', zh: '无法计算' };
const NO_ROWS = { en: '(no rows)', zh: '（无数据）' };
const SOURCE = { en: 'Source: ', zh: '来源：' };

/**
 * Returns every table as the main text shows it, and those the main text shortened (for the appendix, in the
 * order of the report), so that each is presented once.
 */
function presentedTables(m: ReportModel): { main: Map<ReportTable, PresentedTable>; appendix: ReportTable[] } {
  const main = new Map(m.sections.flatMap((s) => s.tables).map((t) => [t, presentTable(t, m.lang, m.names, 'main')]));
  return { main, appendix: [...main].filter(([, p]) => p.shortened).map(([t]) => t) };
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

/** Text as HTML, with file names, commands, options and pack names in <code>. */
const prose = (s: string) =>
  codeSpans(s)
    .map((p) => (p.code ? `<code>${esc(p.text)}</code>` : esc(p.text)))
    .join('');

/** Text as Markdown, with file names, commands, options and pack names in backticks. */
const proseMarkdown = (s: string) =>
  codeSpans(s)
    .map((p) => (p.code ? `\`${p.text}\`` : markdownText(p.text)))
    .join('');

/** Returns the SVG of a Vega-Lite chart (rendered headless). */
export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  const { vega, compile } = await vegaLibraries();
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function firstPage(m: ReportModel): string {
  const titles = new Map(m.sections.flatMap((s) => s.tables).map((t) => [t.id, t.title]));
  const list = m.published
    .map((id) => (m.lang === 'zh' ? `“${titles.get(id) ?? id}”` : `"${titles.get(id) ?? id}"`))
    .join(m.lang === 'zh' ? '、' : ', ');
  if (m.lang === 'zh') {
    if (m.embeddedOnly)
      return '本报告基于程序内置的参考数据（措施库，以及赵春磊、刘子林（2025）已发表的表格），不是根据原始数据计算的结果；导入原始数据后重新生成即可计算各表。';
    return `除措施库外，本报告的表格由已导入的原始数据计算得出（数据集见“数据说明”）${list ? `；其中${list}为论文已发表数值，并非计算结果` : ''}。`;
  }
  if (m.embeddedOnly)
    return 'This report runs on the embedded reference data (the measures registry and the published tables of Zhao and Liu (2025)), not on computations from raw data; import data and run it again to compute the tables.';
  return `Apart from the measures registry, the tables are computed from the raw data imported into the store (datasets under "Data notes")${list ? `; ${list} hold published figures from the papers, not computations` : ''}.`;
}

/** Returns the report as Markdown (tables as pipe tables, charts left to the HTML), with contents and an appendix. */
export function reportMarkdown(m: ReportModel): string {
  const L = m.lang;
  const out: string[] = [
    `# ${markdownText(m.title)}`,
    '',
    `_${m.generated}_`,
    '',
    `> ${proseMarkdown(firstPage(m))}`,
    '',
  ];
  const { main, appendix: extra } = presentedTables(m);
  out.push(`**${CONTENTS[L]}**`, '');
  for (const s of m.sections) out.push(`- [${markdownText(s.title)}](#${s.id})`);
  if (extra.length) out.push(`- [${APPENDIX[L]}](#appendix)`);
  out.push('');
  const table = (t: ReportTable, mode: 'main' | 'full') => {
    const p = (mode === 'main' && main.get(t)) || presentTable(t, L, m.names, mode);
    out.push(`### ${markdownText(t.title)} {#${mode === 'main' ? t.id : `${t.id}-full`}}`, '');
    if (!p.headers.length) return out.push(NO_ROWS[L], '');
    out.push(
      `| ${p.headers.map(markdownText).join(' | ')} |`,
      `| ${p.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    );
    for (const r of p.cells)
      out.push(`| ${r.map((c, i) => (p.code?.[i] && c !== '—' ? `\`${c}\`` : proseMarkdown(c))).join(' | ')} |`);
    out.push('');
    const notes = mode === 'main' ? [...(p.shortened ? [p.shortened] : []), ...t.notes] : [];
    for (const n of notes) out.push(`- ${proseMarkdown(n)}`);
    if (notes.length) out.push('');
  };
  for (const s of m.sections) {
    out.push(`## ${markdownText(s.title)} {#${s.id}}`, '');
    for (const f of s.findings) out.push(`- ${proseMarkdown(f.text)} ([→](#${f.table}))`);
    if (s.findings.length) out.push('');
    for (const t of s.tables) table(t, 'main');
    for (const x of s.missing) out.push(`- ${NOT_COMPUTED[L]}${L === 'zh' ? '：' : ': '}${proseMarkdown(x)}`);
    if (s.missing.length) out.push('');
  }
  if (extra.length) {
    out.push(`## ${APPENDIX[L]} {#appendix}`, '');
    for (const t of extra) table(t, 'full');
  }
  return out.join('\n');
}

/** Returns the report as one self-contained HTML file with charts inline as SVG. */
export async function reportHtml(m: ReportModel): Promise<string> {
  const L = m.lang;
  const parts: string[] = [];
  const { main, appendix: extra } = presentedTables(m);
  const htmlTable = (t: ReportTable, mode: 'main' | 'full') => {
    const p = (mode === 'main' && main.get(t)) || presentTable(t, L, m.names, mode);
    const out = [`<h3 id="${mode === 'main' ? t.id : `${t.id}-full`}">${esc(t.title)}</h3>`];
    if (!p.headers.length) return `${out[0]}<p>${NO_ROWS[L]}</p>`;
    out.push(
      `<table><thead><tr>${p.headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>`,
    );
    for (const r of p.cells)
      out.push(
        `<tr>${r.map((c, i) => `<td${p.numeric[i] ? ' class="n"' : ''}${p.english?.[i] ? ' lang="en"' : ''}>${p.code?.[i] && c !== '—' ? `<code>${esc(c)}</code>` : prose(c)}</td>`).join('')}</tr>`,
      );
    out.push('</tbody></table>');
    const notes = mode === 'main' ? [...(p.shortened ? [p.shortened] : []), ...t.notes] : [];
    if (notes.length) out.push(`<ul class="notes">${notes.map((n) => `<li>${prose(n)}</li>`).join('')}</ul>`);
    return out.join('');
  };
  const contents = [...m.sections.map((s) => [s.id, s.title]), ...(extra.length ? [['appendix', APPENDIX[L]]] : [])];
  parts.push(
    `<nav class="toc"><h2>${CONTENTS[L]}</h2><ol>${contents.map(([id, title]) => `<li><a href="#${id}">${esc(title)}</a></li>`).join('')}</ol></nav>`,
  );
  for (const s of m.sections) {
    parts.push(`<section id="${s.id}"><h2>${esc(s.title)}</h2>`);
    if (s.findings.length)
      parts.push(
        `<ul class="findings">${s.findings.map((f) => `<li>${prose(f.text)} <a href="#${f.table}">→</a></li>`).join('')}</ul>`,
      );
    for (const c of s.charts)
      parts.push(
        `<figure id="${c.id}">${await chartSvg(c.spec)}<figcaption>${esc(c.title)}${c.source ? `<span class="source">${SOURCE[L]}${prose(c.source)}</span>` : ''}</figcaption></figure>`,
      );
    for (const t of s.tables) parts.push(htmlTable(t, 'main'));
    if (s.missing.length)
      parts.push(
        `<ul class="missing">${s.missing.map((x) => `<li>${NOT_COMPUTED[L]}${L === 'zh' ? '：' : ': '}${prose(x)}</li>`).join('')}</ul>`,
      );
    parts.push('</section>');
  }
  if (extra.length) {
    parts.push(`<section id="appendix"><h2>${APPENDIX[L]}</h2>`);
    for (const t of extra) parts.push(htmlTable(t, 'full'));
    parts.push('</section>');
  }
  const css = `body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Noto Sans",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:12px;margin:.5em 0 1em;display:block;overflow-x:auto}td,th{border:1px solid #ccc;padding:2px 6px}
td.n{text-align:right;font-variant-numeric:tabular-nums}.lead{background:#f4f6f8;padding:.8em;border-left:4px solid #4a6fa5}
.notes,.missing{font-size:12px;color:#555;overflow-wrap:anywhere}code{font-size:.92em;background:#f2f2f2;padding:0 .2em;overflow-wrap:anywhere}figure{margin:1em 0}figcaption .source{display:block;font-size:11px;color:#555}svg{max-width:100%;height:auto}@media print{section{page-break-inside:avoid}}`;
  return `<!doctype html><html lang="${m.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(m.title)}</title><style>${css}</style></head><body>
<h1>${esc(m.title)}</h1><p>${m.generated}</p><p class="lead">${prose(firstPage(m))}</p>
${parts.join('\n')}
</body></html>
`;
}
