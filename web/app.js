// The dashboard: a page per part of the report, the indicator explorer, the measures timeline,
// the risk list and the data page, all over the read-only JSON API of `decouple serve`.
'use strict';

const TEXT = {
  zh: {
    title: '脱钩与去风险监测',
    other: 'English',
    overview: '概览',
    report: '评估报告',
    indicators: '指标',
    measures: '措施',
    risk: '风险清单',
    data: '数据',
    indicator: '指标',
    group: '产品组',
    allGoods: '全部货物',
    byDefault: '默认',
    reporter: '报告方',
    partner: '伙伴',
    flow: '流向',
    years: '年份',
    compute: '计算',
    importer: '进口方',
    supplier: '供应方',
    year: '年份',
    date: '日期',
    top: '前 N 项',
    export: '出口',
    import: '进口',
    total: '贸易总额',
    goods: '货物',
    services: '服务',
    auto: '自动选择',
    importer: '进口方报告',
    exporter: '出口方报告',
    loading: '计算中…',
    noRows: '没有结果',
    prevPage: '上一页',
    nextPage: '下一页',
    rowsOf: (a, b, n) => `第${a}–${b}行，共${n}行`,
    csv: '下载 CSV',
    xlsx: '下载 Excel',
    svg: '下载图表 SVG',
    png: '下载图表 PNG',
    findings: '主要发现',
    missing: '无法计算的部分',
    timeline: '措施时间线',
    perYear: '每年措施数',
    datasets: '数据库中的数据集',
    notes: '说明',
    tokenPrompt: '此看板需要访问令牌，请输入启动服务时设定的令牌：',
    latestData: (p) => `最新数据：${p}`,
    toTable: '查看报告中的表格',
    sourceLine: (s) => `来源：${s}`,
  },
  en: {
    title: 'Decoupling Monitor',
    other: '中文',
    overview: 'Overview',
    report: 'Report',
    indicators: 'Indicators',
    measures: 'Measures',
    risk: 'Risk list',
    data: 'Data',
    indicator: 'Indicator',
    group: 'Product group',
    allGoods: 'All goods',
    byDefault: 'Default',
    reporter: 'Reporter',
    partner: 'Partner',
    flow: 'Flow',
    years: 'Years',
    compute: 'Compute',
    importer: 'Importer',
    supplier: 'Supplier',
    year: 'Year',
    date: 'Date',
    top: 'Top N',
    export: 'Exports',
    import: 'Imports',
    total: 'Total trade',
    goods: 'Goods',
    services: 'Services',
    auto: 'Automatic',
    importer: "Importer's report",
    exporter: "Exporter's report",
    loading: 'Computing…',
    noRows: 'No results',
    prevPage: 'Previous',
    nextPage: 'Next',
    rowsOf: (a, b, n) => `Rows ${a}–${b} of ${n}`,
    csv: 'Download CSV',
    xlsx: 'Download Excel',
    svg: 'Download chart SVG',
    png: 'Download chart PNG',
    findings: 'Findings',
    missing: 'What could not be computed',
    timeline: 'Measures timeline',
    perYear: 'Measures per year',
    datasets: 'Datasets in the store',
    notes: 'Notes',
    tokenPrompt: 'This dashboard needs its access token: enter the token the server was started with',
    latestData: (p) => `latest data: ${p}`,
    toTable: 'the table in the report',
    sourceLine: (s) => `Source: ${s}`,
  },
};
const PAGES = ['overview', 'report', 'indicators', 'measures', 'risk', 'data'];
// The token (when the server asks for one) is typed in once and kept for this tab only; it travels in the
// Authorization header, never in an address, a link or the page.
let token = sessionStorage.getItem('decouple-token');
let lang = localStorage.getItem('decouple-lang') || 'zh';
const t = (k) => TEXT[lang][k] ?? k;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

// File names, decouple commands, options and reference pack names, set in <code>: the same pattern as
// CODE_PATTERN in src/report/codeSpans.ts (a unit test keeps the two equal).
const CODE_PATTERN =
  /decouple(?: (?:--?[a-z][a-z0-9-]*|[a-z][a-z0-9-]*|[A-Z][A-Z0-9]{1,}|DIR|FILE|文件路径))+|--[a-z][a-z0-9-]*|[A-Za-z0-9_./+-]*[A-Za-z0-9_]\.(?:csv|CSV|xlsx|xls|gz|txt|TXT|zip|json|parquet|yaml|yml)\b|\b(?:census-atp-exports|census-atp|census-codes|hs-bec|hs-vintages|hs-sitc|hs-isic|i18n-iso-countries)\b/g;

/** Returns a text as nodes: plain text, with the parts CODE_PATTERN finds in <code>. */
function prose(text) {
  const s = String(text);
  const out = [];
  let last = 0;
  for (const m of s.matchAll(CODE_PATTERN)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    else if (out.length && typeof out[out.length - 1] !== 'string') {
      // Two code parts that touch (a command and the file name after it) are one.
      out[out.length - 1].textContent += m[0];
      last = m.index + m[0].length;
      continue;
    }
    out.push(el('code', {}, m[0]));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

async function api(path, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  let res = await fetch(`${path}${q.toString() ? `?${q}` : ''}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (res.status === 401) {
    const given = prompt(TEXT[lang].tokenPrompt);
    if (given) {
      token = given.trim();
      sessionStorage.setItem('decouple-token', token);
      res = await fetch(`${path}${q.toString() ? `?${q}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    }
  }
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function downloadUrl(path, params, format) {
  const q = new URLSearchParams(Object.entries({ ...params, format }).filter(([, v]) => v !== '' && v !== undefined));
  return `${path}?${q}`;
}

// Downloads go through fetch when a token is in use, so that the token stays in the header.
document.addEventListener('click', async (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest('a[href^="/api/"]') : null;
  if (!a || !token) return;
  ev.preventDefault();
  const res = await fetch(a.getAttribute('href'), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  const save = el('a', { href: url, download: a.getAttribute('download') || '' });
  document.body.append(save);
  save.click();
  save.remove();
  URL.revokeObjectURL(url);
});

/**
 * Returns a cell as the reader sees it: dollar amounts in 亿美元 or US$ bn (the unit the column's label names),
 * percentages with two decimals, other numbers rounded, years as written; text and yes/no cells by the labels the
 * API gives for them (economies by name, categories in the page's language).
 */
function formatCell(v, column, cells = {}) {
  if (v === null || v === undefined) return '—';
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const fixed = (x, d) => x.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  if (typeof v === 'number' && /(^|_)(year|month|id|rank|digits|level)$/.test(column)) return String(v);
  if (typeof v === 'number' && /_usd$/.test(column)) return fixed(v / (lang === 'zh' ? 1e8 : 1e9), 1);
  if (typeof v === 'number' && /(_pct|_pp)$/.test(column)) return fixed(v, 2);
  if (typeof v === 'number')
    return Math.abs(v) >= 1000
      ? v.toLocaleString(locale, { maximumFractionDigits: 0 })
      : String(Math.round(v * 10000) / 10000);
  return cells[column]?.[String(v)] ?? String(v);
}

/**
 * Returns a table of rows with the reader's column names (labels from the API), a page of rows at a time
 * with the count of all rows and buttons to page through them.
 */
function table(rows, labels = {}, cells = {}, pageSize = 50) {
  if (!rows.length) return el('p', { class: 'notes' }, t('noRows'));
  const cols = Object.keys(rows[0]);
  const box = el('div', { class: 'table-box' });
  const body = el('tbody', {});
  const status = el('span', { class: 'page-status', 'aria-live': 'polite' });
  const prev = el('button', { type: 'button' }, t('prevPage'));
  const next = el('button', { type: 'button' }, t('nextPage'));
  let page = 0;
  const pages = Math.ceil(rows.length / pageSize);
  const show = () => {
    const from = page * pageSize;
    const shown = rows.slice(from, from + pageSize);
    body.replaceChildren(
      ...shown.map((r) =>
        el(
          'tr',
          {},
          ...cols.map((c) =>
            el(
              'td',
              // HS descriptions and datasets' provenance notes stay in English (marked so) on a Chinese page.
              {
                class: typeof r[c] === 'number' ? 'num' : '',
                ...((c === 'description' || c === 'notes') && lang === 'zh' ? { lang: 'en' } : {}),
              },
              // Identifiers (a measure's id) are typed as they are: code.
              ...(['id', 'url', 'file_name'].includes(c) && typeof r[c] === 'string' && r[c]
                ? [el('code', {}, r[c])]
                : prose(formatCell(r[c], c, cells))),
            ),
          ),
        ),
      ),
    );
    status.textContent = t('rowsOf')(from + 1, from + shown.length, rows.length);
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    show();
  });
  next.addEventListener('click', () => {
    page = Math.min(pages - 1, page + 1);
    show();
  });
  box.append(
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...cols.map((c) => el('th', { scope: 'col' }, labels[c] ?? c)))),
      body,
    ),
  );
  if (pages > 1) box.append(el('div', { class: 'pager' }, prev, status, next));
  else box.append(el('div', { class: 'pager' }, status));
  show();
  return box;
}

/** Returns a table the server presented (headers and cells in the reader's language), in a scrolling box. */
function presentedTable(p) {
  if (!p.headers.length) return el('p', { class: 'notes' }, t('noRows'));
  return el(
    'div',
    { class: 'table-box' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...p.headers.map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        ...p.cells.map((r) =>
          el(
            'tr',
            {},
            ...r.map((c, i) =>
              el(
                'td',
                { class: p.numeric[i] ? 'num' : '', ...(p.english?.[i] ? { lang: 'en' } : {}) },
                ...(p.code?.[i] && c !== '—' ? [el('code', {}, c)] : prose(c)),
              ),
            ),
          ),
        ),
      ),
    ),
    el('div', { class: 'pager' }, el('span', { class: 'page-status' }, t('rowsOf')(1, p.cells.length, p.cells.length))),
  );
}

function notes(list) {
  return list && list.length ? el('ul', { class: 'notes' }, ...list.map((n) => el('li', {}, ...prose(n)))) : null;
}

// The house style of every chart: the same as CHART_CONFIG in src/report/chartStyle.ts (a unit test keeps the
// two equal); the report's charts arrive with it, the page's own charts take it here.
const CHART_CONFIG = {
  range: { category: ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] },
  legend: { labelLimit: 360 },
};

/** Renders a Vega-Lite specification to SVG inside a new element; returns it with download buttons. */
async function chart(spec, name) {
  const box = el('div', { class: 'chart' });
  const styled = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } };
  const view = new vega.View(vega.parse(vegaLite.compile(styled).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  box.innerHTML = svg;
  const save = async (kind) => {
    const url =
      kind === 'svg'
        ? URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }))
        : await view.toImageURL('png', 2);
    const a = el('a', { href: url, download: `${name}.${kind}` });
    document.body.append(a);
    a.click();
    a.remove();
  };
  box.append(
    el(
      'div',
      { class: 'downloads' },
      el('button', { type: 'button', onclick: () => save('svg') }, t('svg')),
      el('button', { type: 'button', onclick: () => save('png') }, t('png')),
    ),
  );
  return box;
}

function lineSpec(rows, y, title, yTitle) {
  const color = ['partner', 'group', 'flow', 'economy'].find(
    (c) => c in rows[0] && new Set(rows.map((r) => r[c])).size > 1,
  );
  // A new line at every series break or missing year: no line joins two sources or crosses a gap.
  const last = new Map();
  const values = [...rows]
    .sort((a, b) => Number(a.year) - Number(b.year))
    .map((r) => {
      const key = color ? String(r[color]) : '';
      const prev = last.get(key);
      const segment = !prev
        ? 0
        : r.series_break === true || Number(r.year) !== prev.year + 1
          ? prev.segment + 1
          : prev.segment;
      last.set(key, { year: Number(r.year), segment });
      return { ...r, year: Number(r.year), segment: `${key}-${segment}` };
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'year', type: 'quantitative', axis: { format: 'd' }, title: t('year') },
      y: { field: y, type: 'quantitative', title: yTitle ?? y },
      detail: { field: 'segment', type: 'nominal' },
      ...(color ? { color: { field: color, type: 'nominal' } } : {}),
    },
  };
}

/** A series by date that holds its value until the next date (tariffs in force): a step line. */
function stepSpec(rows, y, title, yTitle) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', point: true },
    encoding: {
      x: { field: 'date', type: 'temporal', title: t('date') },
      y: { field: y, type: 'quantitative', title: yTitle ?? y },
      tooltip: [
        { field: 'date', type: 'temporal' },
        { field: y, type: 'quantitative', format: '.2f' },
      ],
    },
  };
}

/** Returns a sparkline (a small chart without axes or download buttons) drawn from a Vega-Lite specification. */
async function sparkline(spec) {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const box = el('div', { class: 'spark', role: 'img', 'aria-label': spec.description ?? '' });
  box.innerHTML = await view.toSVG();
  return box;
}

/** The overview: a card per headline finding of the report, with its latest value, change and sparkline. */
async function overviewPage(main) {
  const o = await api('/api/overview', { lang });
  main.append(el('h2', {}, o.title));
  const grid = el('div', { class: 'cards' });
  for (const c of o.cards) {
    const card = el('article', { class: 'card' }, el('h3', {}, c.title));
    if (c.latest)
      card.append(
        el('p', { class: 'big' }, c.latest.value, el('span', { class: 'unit' }, ` ${c.latest.label}`)),
        el('p', { class: 'meta' }, t('latestData')(c.latest.period), c.since2017 ? ` · ${c.since2017}` : ''),
      );
    if (c.spark) card.append(await sparkline(c.spark));
    card.append(el('p', {}, ...prose(c.finding)));
    if (c.source) card.append(el('p', { class: 'notes' }, ...prose(t('sourceLine')(c.source))));
    card.append(el('a', { href: `#/report`, class: 'to-table' }, t('toTable')));
    grid.append(card);
  }
  main.append(grid);
}

async function reportPage(main) {
  const m = await api('/api/report', { lang });
  main.append(el('h2', {}, m.title));
  for (const s of m.sections) {
    const sec = el('section', { id: `section-${s.id}` }, el('h2', {}, s.title));
    if (s.findings.length)
      sec.append(el('h3', {}, t('findings')), el('ul', {}, ...s.findings.map((f) => el('li', {}, ...prose(f.text)))));
    for (const c of s.charts)
      sec.append(
        el(
          'figure',
          {},
          await chart(c.spec, c.id),
          el(
            'figcaption',
            {},
            c.title,
            c.source ? el('span', { class: 'source' }, ...prose(t('sourceLine')(c.source))) : null,
          ),
        ),
      );
    // The tables as the report's main text presents them (the full rows: the workbook and the indicators page).
    for (const tb of s.tables)
      sec.append(
        ...[
          el('h3', {}, tb.title),
          presentedTable(tb.presented),
          notes([...(tb.presented.shortened ? [tb.presented.shortened] : []), ...tb.notes]),
        ].filter(Boolean),
      );
    if (s.missing.length) sec.append(el('h3', {}, t('missing')), notes(s.missing));
    main.append(sec);
  }
}

async function indicatorsPage(main) {
  const list = await api('/api/indicators');
  const form = el('form', { id: 'indicator-form' });
  const select = el(
    'select',
    { name: 'indicator' },
    ...list.map((d) => el('option', { value: d.id }, lang === 'zh' ? d.name.zh : `${d.name.en} (${d.id})`)),
  );
  // One control per parameter the chosen indicator reads, from the registry's parameter specs (the same ones the
  // command line and the OpenAPI document are generated from).
  const defaults = { reporter: 'CHN', partner: 'USA' };
  const controls = el('div', { class: 'controls' });
  const control = (p) => {
    const id = `param-${p.name}`;
    let field;
    if (p.kind === 'flag') field = el('input', { type: 'checkbox', name: p.name, id });
    else if (p.kind === 'choice')
      field = el(
        'select',
        { name: p.name, id },
        ...(p.fallback === undefined ? [el('option', { value: '' }, t('byDefault'))] : []),
        ...p.choices.map((c) =>
          el('option', Object.assign({ value: c }, c === p.fallback ? { selected: '' } : {}), t(c)),
        ),
      );
    else if (p.kind === 'group')
      field = el(
        'select',
        { name: p.name, id },
        el('option', { value: '' }, t('allGoods')),
        ...p.sets.map((g) => el('option', { value: g.id }, g.name[lang])),
      );
    else
      field = el('input', {
        name: p.name,
        id,
        value: defaults[p.name] ?? '',
        size: '11',
        placeholder: p.example ?? '',
      });
    if (lang === 'en') field.title = p.description;
    return el('label', { for: id }, p.label[lang], field);
  };
  const showControls = () => {
    const d = list.find((x) => x.id === select.value);
    controls.replaceChildren(...d.parameters.map(control));
  };
  select.addEventListener('change', showControls);
  showControls();
  form.append(el('label', {}, t('indicator'), select), controls, el('button', { type: 'submit' }, t('compute')));
  const out = el('section', { id: 'result' });
  const describe = el('p', { class: 'notes' });
  main.append(form, describe, out);
  const run = async () => {
    const d = list.find((x) => x.id === select.value);
    // The formula is written in the registry's notation (the Chinese page keeps it, marked as such).
    describe.replaceChildren(
      el('code', { lang: 'en' }, d.formula),
      lang === 'zh' ? `：${d.reading.zh}` : ` — ${d.reading.en} (${d.reference})`,
    );
    const params = { lang };
    for (const p of d.parameters) {
      const field = form.elements[p.name];
      if (!field) continue;
      if (p.kind === 'flag') {
        if (field.checked) params[p.name] = 'true';
      } else if (field.value.trim() !== '') params[p.name] = field.value.trim();
    }
    out.replaceChildren(el('p', { class: 'notes' }, t('loading')));
    try {
      const r = await api(`/api/compute/${d.id}`, params);
      const path = `/api/compute/${d.id}`;
      const parts = [
        el(
          'div',
          { class: 'downloads' },
          el('a', { href: downloadUrl(path, params, 'csv'), download: `${d.id}.csv`, id: 'download-csv' }, t('csv')),
          el('a', { href: downloadUrl(path, params, 'xlsx'), download: `${d.id}.xlsx` }, t('xlsx')),
        ),
      ];
      if (r.rows.length > 1 && 'year' in r.rows[0] && typeof r.rows[0][r.headline] === 'number')
        parts.push(await chart(lineSpec(r.rows, r.headline, d.name[lang], r.columns?.[r.headline]), d.id));
      else if (r.rows.length > 1 && 'date' in r.rows[0] && typeof r.rows[0][r.headline] === 'number')
        parts.push(await chart(stepSpec(r.rows, r.headline, d.name[lang], r.columns?.[r.headline]), d.id));
      parts.push(table(r.rows, r.columns, r.cells), notes(r.notes));
      out.replaceChildren(...parts.filter(Boolean));
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error' }, err.message));
    }
    out.dataset.indicator = d.id; // which result is shown (for tests and scripts)
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  select.addEventListener('change', () => void run());
  await run();
}

async function measuresPage(main) {
  const counts = await api('/api/measure-counts', { by: 'year', lang });
  const rows = await api('/api/measures', { lang });
  const sec = el('section', {}, el('h2', {}, t('perYear')));
  const yKey = Object.keys(counts.rows[0] || {}).find((k) => k !== 'year' && typeof counts.rows[0][k] === 'number');
  if (counts.rows.length && yKey) {
    sec.append(
      await chart(
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: t('perYear'),
          width: 640,
          height: 220,
          data: { values: counts.rows },
          mark: 'bar',
          encoding: {
            x: { field: 'year', type: 'ordinal', title: t('year') },
            y: { field: yKey, type: 'quantitative', title: counts.columns?.[yKey] ?? yKey },
          },
        },
        'measures-per-year',
      ),
    );
  }
  main.append(
    sec,
    el(
      'section',
      {},
      el('h2', {}, t('timeline')),
      el(
        'div',
        { class: 'downloads' },
        el('a', { href: downloadUrl('/api/measures', { lang }, 'csv') }, t('csv')),
        el('a', { href: downloadUrl('/api/measures', { lang }, 'xlsx') }, t('xlsx')),
      ),
      table(rows.rows, rows.columns, rows.cells),
    ),
  );
}

async function riskPage(main) {
  const form = el('form', {});
  const input = (name, value) => el('input', { name, value, size: '8' });
  form.append(
    el('label', {}, t('importer'), input('importer', 'USA')),
    el('label', {}, t('supplier'), input('supplier', 'CHN')),
    el('label', {}, t('year'), input('year', '')),
    el('label', {}, t('top'), input('top', '50')),
    el('button', { type: 'submit' }, t('compute')),
  );
  const out = el('section', {});
  main.append(form, out);
  const run = async () => {
    const params = {
      lang,
      importer: form.elements.importer.value.trim(),
      supplier: form.elements.supplier.value.trim(),
      year: form.elements.year.value.trim(),
      top: form.elements.top.value.trim(),
    };
    out.replaceChildren(el('p', { class: 'notes' }, t('loading')));
    try {
      const r = await api('/api/risk', params);
      out.replaceChildren(
        el(
          'div',
          { class: 'downloads' },
          el('a', { href: downloadUrl('/api/risk', params, 'csv') }, t('csv')),
          el('a', { href: downloadUrl('/api/risk', params, 'xlsx') }, t('xlsx')),
        ),
        ...[el('p', { class: 'notes' }, r.settings), table(r.rows, r.columns, r.cells), notes(r.notes)].filter(Boolean),
      );
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  await run();
}

async function dataPage(main) {
  const r = await api('/api/datasets', { lang });
  main.append(
    el(
      'section',
      {},
      el('h2', {}, t('datasets')),
      el('div', { class: 'downloads' }, el('a', { href: downloadUrl('/api/datasets', {}, 'csv') }, t('csv'))),
      table(r.rows, r.columns, r.cells),
    ),
  );
}

async function render() {
  const page = PAGES.includes(location.hash.slice(2)) ? location.hash.slice(2) : 'overview';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('title')} · ${t(page)}`;
  document.getElementById('title').textContent = t('title');
  document.getElementById('lang').textContent = t('other');
  // The switch names the other language in that language.
  document.getElementById('lang').setAttribute('lang', lang === 'zh' ? 'en' : 'zh-CN');
  document
    .getElementById('nav')
    .replaceChildren(...PAGES.map((p) => el('a', { href: `#/${p}`, class: p === page ? 'active' : '' }, t(p))));
  const main = document.getElementById('main');
  main.replaceChildren();
  main.dataset.page = page;
  main.dataset.ready = 'false';
  try {
    await {
      overview: overviewPage,
      report: reportPage,
      indicators: indicatorsPage,
      measures: measuresPage,
      risk: riskPage,
      data: dataPage,
    }[page](main);
  } catch (err) {
    main.append(el('p', { class: 'error' }, err.message));
  }
  main.dataset.ready = 'true';
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('decouple-lang', lang);
  void render();
});
window.addEventListener('hashchange', () => void render());
void render();
