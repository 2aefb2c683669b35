import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

test('the report runs on a fresh store from the embedded data and says so on its first page', () => {
  const dir = tempDir();
  const r = cli(join(dir, 'store.duckdb'), 'report', '--lang', 'en', '--out', join(dir, 'out'));
  assert.equal(r.status, 0, r.stderr);
  for (const ext of ['md', 'html', 'json', 'xlsx'])
    assert.ok(existsSync(join(dir, 'out', `report-CHN-USA-en.${ext}`)), ext);
  const md = readFileSync(join(dir, 'out', 'report-CHN-USA-en.md'), 'utf-8');
  assert.match(md, /runs on the embedded reference data/);
  // From 2017, the year before the tariffs, within the paper's own series, marked as published.
  assert.match(
    md,
    /The United States' share of China's exports fell from 19\.01% in 2017 to 14\.83% in 2023 \(-4\.18 pp\); the peak of the period was 2018 \(19\.28%\)\. \(figures published in Zhao and Liu \(2025\), not computed here\)/,
  );
  const html = readFileSync(join(dir, 'out', 'report-CHN-USA-en.html'), 'utf-8');
  assert.match(html, /<svg[^>]*>/);
  assert.doesNotMatch(html, /<script/); // self-contained and static
  const model = JSON.parse(readFileSync(join(dir, 'out', 'report-CHN-USA-en.json'), 'utf-8'));
  assert.deepEqual(
    model.sections.map((s: { id: string }) => s.id),
    [
      'summary',
      'measures',
      'trade',
      'supply',
      'tariffs',
      'export-controls',
      'links',
      'index',
      'risk',
      'scenarios',
      'data',
    ],
  );
  assert.match(
    model.sections.find((s: { id: string }) => s.id === 'export-controls').missing.join('\n'),
    /no monthly export data by HS6 line and destination for [^:]*Export controls on gallium and germanium items[^:]*: import the actor's monthly exports/,
  );
  assert.ok(
    model.sections.find((s: { id: string }) => s.id === 'risk').missing.length > 0,
    'the risk list says why it is missing',
  );
  assert.match(
    model.sections.find((s: { id: string }) => s.id === 'links').missing.join('\n'),
    /Economic size not computable: the IMF World Economic Outlook is not loaded \(decouple import weo FILE\)[^]*Students not computable: IIE Open Doors is not loaded/,
  );
  assert.match(
    model.sections.find((s: { id: string }) => s.id === 'index').missing[0],
    /The composite decoupling index is not computable: it needs at least two dimensions/,
  );
  // Supply chains on the embedded data: the paper's BEC, manufacturing and high-tech tables, marked as published,
  // drawn as small multiples.
  const supply = model.sections.find((s: { id: string }) => s.id === 'supply');
  assert.deepEqual(
    supply.tables.map((t: { id: string }) => t.id),
    ['groups-bec-CHN-USA', 'groups-manufacturing-CHN-USA', 'groups-hightech-CHN-USA'],
  );
  for (const id of supply.tables.map((t: { id: string }) => t.id))
    assert.ok(model.published.includes(id), `${id} is marked published`);
  const hightech = supply.tables.find((t: { id: string }) => t.id === 'groups-hightech-CHN-USA');
  assert.equal(new Set(hightech.rows.map((r: { group: string }) => r.group)).size, 8);
  // Paper table 7: computers and communications, 2018 export share 25.49%.
  assert.equal(
    hightech.rows.find(
      (r: { group: string; flow: string; year: number }) =>
        r.group === 'information-communications' && r.flow === 'export' && r.year === 2018,
    ).share_pct,
    25.49,
  );
  const chart = supply.charts.find((c: { id: string }) => c.id === 'groups-hightech-CHN-USA-chart');
  assert.equal(chart.spec.facet.field, 'group');
  const finding = supply.findings.find((f: { table: string }) => f.table === 'groups-hightech-CHN-USA').text;
  assert.match(finding, /not computed here/);
  const quoted = [...finding.matchAll(/from (\d+\.\d{2})% in (\d{4}) to (\d+\.\d{2})% in (\d{4})/g)];
  assert.equal(quoted.length, 2, finding);
  for (const m of quoted) {
    const values = hightech.rows
      .filter((r: { year: number }) => r.year === Number(m[2]) || r.year === Number(m[4]))
      .map((r: { share_pct: number }) => Number(r.share_pct).toFixed(2));
    assert.ok(values.includes(m[1]) && values.includes(m[3]), `the finding's numbers come from the table: ${m[0]}`);
  }
  assert.match(supply.missing.join('\n'), /connector economies between China and the United States/);
  const zh = cli(join(dir, 'store.duckdb'), 'report', '--lang', 'zh', '--out', join(dir, 'out'), '--formats', 'md');
  assert.equal(zh.status, 0, zh.stderr);
  assert.match(
    readFileSync(join(dir, 'out', 'report-CHN-USA-zh.md'), 'utf-8'),
    /美国在中国出口中的占比从2017年的19\.01%下降至2023年的14\.83%（-4\.18个百分点），期间峰值出现在2018年（19\.28%）。（赵春磊、刘子林（2025）公布的数值，非本系统计算）/,
  );
});

/**
 * Returns the English words left in a Chinese page's visible text (link targets, anchors, commands, file names
 * and standard abbreviations aside).
 */
function englishWords(md: string): string[] {
  const visible = md
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/\{#[^}]*\}/g, '')
    .replace(/`[^`]*`/g, '')
    .replace(/decouple( [a-z-]+)+/g, '')
    .replace(/--[a-z-]+/g, '')
    .replace(/\b[a-z0-9]+(-[a-z0-9]+)+\b/g, '') // identifiers: reference packs, group sets
    .replace(/\b[0-9a-f]{12}\b/g, '') // SHA-256 prefixes
    .replace(/[\w./\\-]+\.(csv|xlsx|gz|CSV|md)\b/g, '');
  const allowed = new Set([
    'BEC',
    'HS',
    'HHI',
    'SITC',
    'ATP',
    'WITS',
    'BACI',
    'CEPII',
    'IMF',
    'DOTS',
    'IMTS',
    'DIR',
    'SHA',
    'GDP',
  ]);
  return [...new Set(visible.match(/[A-Za-z]{3,}/g) ?? [])].filter((w) => !allowed.has(w));
}

test('the Chinese edition on the embedded data reads in Chinese: economies by name, Chinese headers, cells and notes', () => {
  const dir = tempDir();
  const r = cli(join(dir, 'store.duckdb'), 'report', '--lang', 'zh', '--out', join(dir, 'out'), '--formats', 'md');
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(join(dir, 'out', 'report-CHN-USA-zh.md'), 'utf-8');
  assert.match(md, /^# 脱钩与去风险评估：中国与美国/);
  assert.match(md, /\| 年份 \| 占比（%） \|/);
  assert.match(md, /## 附录：完整表格/);
  assert.match(md, /措施库收录中国与美国之间的措施\d+项/);
  assert.deepEqual(englishWords(md), []);
});

test(
  'report --format pdf prints the report with Chromium (that file alone): A4 pages numbered, Chinese text in an embedded CJK font',
  { skip: existsSync('/usr/bin/chromium') || process.env.DECOUPLE_CHROMIUM ? false : 'needs Chromium' },
  () => {
    const dir = tempDir();
    const r = cli(join(dir, 'store.duckdb'), 'report', '--format', 'pdf', '--lang', 'zh', '--out', join(dir, 'out'));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(join(dir, 'out')), ['report-CHN-USA-zh.pdf']);
    // A report format is not a table format: other commands refuse it.
    const table = cli(join(dir, 'store.duckdb'), '--format', 'pdf', 'measures');
    assert.notEqual(table.status, 0);
    assert.match(table.stderr, /--format pdf is a report format/);
    const pdf = readFileSync(join(dir, 'out', 'report-CHN-USA-zh.pdf'));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdf.toString('latin1');
    assert.ok((text.match(/\/Type\s*\/Page[^s]/g) ?? []).length >= 3, 'several pages');
    assert.match(text, /\/BaseFont\s*\/[A-Z]+\+(WenQuanYi|Noto)/, 'a CJK font is embedded');
  },
);

describe('the report on imported data', { skip: NEEDS_SHARED }, () => {
  test('scenarios: each shipped scenario for the pair runs on the DOTS baseline and the report gives the model outputs unchanged', () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    setupFromShared(db);
    const bare = cli(db, 'report', '--lang', 'zh', '--out', join(dir, 'bare'), '--formats', 'json');
    assert.equal(bare.status, 0, bare.stderr);
    const before = JSON.parse(readFileSync(join(dir, 'bare', 'report-CHN-USA-zh.json'), 'utf-8'));
    const none = before.sections.find((s: { id: string }) => s.id === 'scenarios');
    assert.equal(none.tables.length, 0, 'no baseline, no numbers');
    assert.ok(
      none.missing.every((m: string) => m.includes('decouple fetch dots')),
      none.missing.join('\n'),
    );
    const dots = cli(db, 'import', 'dots', join(SHARED, 'imf-dots', 'dots_bilateral_2000_2020_long.csv.gz'));
    assert.equal(dots.status, 0, dots.stderr);
    const r = cli(db, 'report', '--lang', 'en', '--out', join(dir, 'out'), '--formats', 'json');
    assert.equal(r.status, 0, r.stderr);
    const model = JSON.parse(readFileSync(join(dir, 'out', 'report-CHN-USA-en.json'), 'utf-8'));
    const sec = model.sections.find((s: { id: string }) => s.id === 'scenarios');
    const bilateral = sec.tables.find((t: { id: string }) => t.id === 'scenario-bilateral');
    assert.equal(sec.findings.length, 3, 'the three shipped scenarios concern the pair');
    const run = cliJson<Record<string, unknown>>(
      db,
      'scenario',
      'run',
      join(ROOT, 'scenarios', 'us-china-tariffs-60.yaml'),
    );
    const flows = (run as unknown as { diversion: Array<Record<string, unknown>> }).diversion;
    const usFromChina = flows.find((d) => d.economy === 'USA' && d.partner === 'CHN')!;
    const row = bilateral.rows.find(
      (x: Record<string, unknown>) =>
        x.importer === 'USA' && x.exporter === 'CHN' && String(x.scenario).includes('60%'),
    );
    assert.equal(row.imports_change_pct, usFromChina.imports_change_pct);
    assert.equal(row.imports_new_usd, usFromChina.imports_new_usd);
    // The finding is built from the same numbers.
    const finding = sec.findings.find((f: { text: string }) => f.text.includes('60%'));
    assert.match(finding.text, new RegExp(`fall by ${Math.abs(Number(usFromChina.imports_change_pct)).toFixed(1)}%`));
  });

  test('with DOTS, BEA and Comtrade the trade tables equal the computed indicator, each finding traces to its table, and the data notes name the three datasets with their vintages', () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    setupFromShared(db);
    assert.equal(cli(db, 'import', 'dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx')).status, 0);
    assert.equal(cli(db, 'import', 'bea', join(SHARED, 'bea', 'us_trading_per_country.xlsx')).status, 0);
    assert.equal(
      cli(db, 'import', 'comtrade', join(SHARED, 'comtrade-us', 'comtrade_usa_partner_hs_2015_2025.csv.gz')).status,
      0,
    );
    const r = cli(
      db,
      'report',
      '--lang',
      'en',
      '--out',
      join(dir, 'out'),
      '--formats',
      'json,md',
      '--years',
      '2012-2020',
    );
    assert.equal(r.status, 0, r.stderr);
    const model = JSON.parse(readFileSync(join(dir, 'out', 'report-CHN-USA-en.json'), 'utf-8'));
    assert.equal(model.embeddedOnly, false);
    const trade = model.sections.find((s: { id: string }) => s.id === 'trade');
    const exports = trade.tables.find((t: { id: string }) => t.id === 'share-export');
    assert.ok(exports.rows.every((row: { basis: string }) => row.basis.startsWith('computed')));
    // The report's table is the indicator: the same rows as decouple compute.
    const computed = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--flow',
      'export',
      '--years',
      '2012-2020',
    );
    assert.equal(exports.rows.length, 9);
    assert.deepEqual(
      exports.rows.map((x: { year: number; share_pct: number }) => [x.year, x.share_pct]),
      computed.map((x) => [x.year, x.share_pct]),
    );
    const sources = new Map(model.datasets.map((d: { source: string; vintage: string }) => [d.source, d.vintage]));
    for (const src of ['dots', 'bea', 'comtrade'])
      assert.ok(sources.get(src), `the data notes name the ${src} dataset with its vintage`);
    const last = exports.rows[exports.rows.length - 1];
    const finding = trade.findings.find((f: { table: string }) => f.table === 'share-export');
    assert.ok(finding.text.includes(`${Number(last.share_pct).toFixed(2)}% in ${last.year}`), finding.text);
    assert.equal(trade.charts.length, 1);
    // Services come from the US side (BEA): China's share of US services trade.
    const services = trade.findings.find((f: { table: string }) => f.table === 'services-USA-CHN');
    // Within the years asked for (2012-2020), from 2017, the year before the tariffs, to the latest.
    assert.match(
      services.text,
      /China's share of the United States' services trade fell from 5\.33% in 2017 to 4\.80% in 2020/,
    );
  });

  test('series imported for the pair (here invented student counts) get their own section: table, chart and a sentence from the numbers', () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'countries').status, 0);
    const file = join(dir, 'students.csv');
    writeFileSync(file, 'economy,host,year,count\nCHN,USA,2019,100\nCHN,USA,2020,90\nCHN,GBR,2020,50\n');
    assert.equal(
      cli(db, 'import', 'csv', file, '--map', join(ROOT, 'test', 'fixtures', 'series-mapping.yaml')).status,
      0,
    );
    const r = cli(db, 'report', '--lang', 'en', '--out', join(dir, 'out'), '--formats', 'json,html');
    assert.equal(r.status, 0, r.stderr);
    const model = JSON.parse(readFileSync(join(dir, 'out', 'report-CHN-USA-en.json'), 'utf-8'));
    const links = model.sections.find((s: { id: string }) => s.id === 'links');
    assert.equal(links.tables.length, 1, 'only the CHN–USA series, not CHN–GBR');
    assert.deepEqual(
      links.tables[0].rows.map((x: { year: number; value: number }) => [x.year, x.value]),
      [
        [2019, 100],
        [2020, 90],
      ],
    );
    assert.equal(
      links.findings[0].text,
      'test_students_abroad (China → the United States): 100 persons in 2019, 90 in 2020 (-10.0%).',
    );
    assert.equal(links.charts.length, 1);
    assert.match(readFileSync(join(dir, 'out', 'report-CHN-USA-en.html'), 'utf-8'), /test_students_abroad/);
  });
});
