import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseImportConcordance } from '../src/reference/censusAtp.js';
import { splitCsvLine } from '../src/files/csvStage.js';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

type R = Record<string, unknown>;
const close = (actual: unknown, expected: number, tol = 1e-3) =>
  assert.ok(Math.abs(Number(actual) - expected) <= tol, `${actual} ≠ ${expected}`);

/** One IMP-CODE.TXT record in the Census layout (IMP-STRU.TXT): COMMODITY 1–10, descriptions, HITECH 277–278. */
function impRecord(hts10: string, hitech: string, desc = 'test line'): string {
  const line = Array.from({ length: 278 }, () => ' ');
  const put = (from: number, text: string) => [...text].forEach((ch, i) => (line[from - 1 + i] = ch));
  put(1, hts10);
  put(15, desc.slice(0, 50));
  put(70, desc);
  put(225, 'NO');
  put(277, hitech.padStart(2, ' '));
  return line.join('').trimEnd();
}

/** Returns US imports from China in 2017 by ATP group (`compute bilateral-share --group atp`), by group name. */
function atpShares2017(db: string): Record<string, R> {
  const rows = cliJson<R>(
    db,
    'compute',
    'bilateral-share',
    '--reporter',
    'USA',
    '--partner',
    'CHN',
    '--flow',
    'import',
    '--group',
    'atp',
    '--years',
    '2017',
  );
  return Object.fromEntries(rows.map((r) => [String(r.group).replace('atp:', ''), r]));
}

// A hand-made concordance in the documented layout (the ATP flags are invented for the test, not Census's).
const LINES = [
  impRecord('0201300000', ''),
  impRecord('8517130000', '04'),
  impRecord('8517140000', ''),
  impRecord('8542310000', '05'),
  impRecord('8542310090', '00'),
  impRecord('9401610000', ''),
];

describe('Census ATP concordance (IMP-CODE.TXT layout)', () => {
  test('parses HTS10 codes and ATP groups at characters 277-278; blank and 00 are not ATP', () => {
    const rows = parseImportConcordance(LINES.join('\r\n') + '\r\n', 'imp-code.txt');
    assert.deepEqual(
      rows.map((r) => r.atp),
      [null, '04', null, '05', null, null],
    );
    assert.equal(rows[1].hts10, '8517130000');
  });

  test('refuses a line off the layout, naming file, line and field', () => {
    assert.throws(
      () => parseImportConcordance([LINES[0], '85171300 short'].join('\n'), 'imp-code.txt'),
      /imp-code\.txt, line 2, field 'COMMODITY'/,
    );
    const badGroup = impRecord('8517130000', '42');
    assert.throws(
      () => parseImportConcordance([LINES[0], badGroup].join('\n'), 'imp-code.txt'),
      /line 2, field 'HITECH': '42' .* not an ATP group code/,
    );
    assert.throws(
      () => parseImportConcordance(LINES.filter((l) => !/0[45]$/.test(l)).join('\n'), 'x.txt'),
      /no line carries an ATP code/,
    );
  });
});

// Expected shares are computed by hand from test/fixtures/baci (HS2017) and the concordance above (HS2022).
describe('high-tech (ATP) product groups on the BACI-format fixture', { skip: NEEDS_SHARED }, () => {
  let db: string;
  let mirror: string;
  before(() => {
    db = join(tempDir(), 'store.duckdb');
    mirror = tempDir();
    mkdirSync(join(mirror, 'census-atp'));
    writeFileSync(join(mirror, 'census-atp', 'imp-code.txt'), LINES.join('\r\n') + '\r\n', 'latin1');
    assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'countries', '--pack', 'hs-vintages').status, 0);
    const r = cli(db, 'setup', '--from', mirror, '--pack', 'census-atp');
    assert.equal(r.status, 0, r.stderr);
    // The export concordance installed beside it must not change a result: the import concordance comes first.
    assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'census-atp-exports').status, 0);
    const baci = join(ROOT, 'test', 'fixtures', 'baci');
    assert.equal(cli(db, 'import', 'baci', join(baci, 'BACI_HS17_Y2017_V000001.csv')).status, 0);
  });

  test('setup without the file in the mirror leaves the optional pack out and says so', () => {
    const other = join(tempDir(), 's.duckdb');
    const r = cliJson<R>(other, 'setup', '--from', SHARED, '--pack', 'countries');
    assert.equal(r[0].status, 'installed');
    const all = cli(other, '--format', 'json', 'setup', '--from', mirror);
    // The mirror here holds only census-atp: the required packs fail, naming the missing file.
    assert.notEqual(all.status, 0);
    assert.match(all.stderr, /is missing from the mirror folder/);
  });

  test('US imports from China by ATP group, 2017: HS2017 codes take the mean split of their HS2022 codes', () => {
    const by = atpShares2017(db);
    // 851712 (HS2017) ← 851713 (ATP 04) and 851714 (not); its other HS2022 sources are not in this concordance,
    // so half of it is information-communications.
    close(by['information-communications'].share_pct, (100 * 0.5 * 100) / (0.5 * 115));
    // 854231: one of its two HTS10 lines is electronics.
    close(by.electronics.share_pct, (100 * 0.5 * 20) / (0.5 * 35));
    // The rest: half of 851712 and 854231, all of 940161.
    close(by['not-atp'].share_pct, (100 * (50 + 10 + 30)) / (57.5 + 17.5 + 45));
    assert.equal(by.aerospace, undefined);
  });

  test("the risk list places each product in its main ATP group, with the group's part of the code", () => {
    const config = join(mirror, 'risk.yaml');
    writeFileSync(
      config,
      `version: 1
weights: {supplier_share: 1, supplier_value: 0, import_hhi: 0, world_export_hhi: 0, allied_share: 0, low_substitutability: 0, import_export_ratio: 0}
thresholds: {critical: 0.7, high: 0.5, watch: 0.35}
dependence_test: {hhi: 0.4, years_needed: 1}
meaningful_exporter_pct: 1
min_supplier_imports_usd: 0
`,
    );
    const r = cli(
      db,
      '--format',
      'json',
      'risk',
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2017',
      '--config',
      config,
    );
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as R[];
    const by = Object.fromEntries(rows.map((x) => [x.hs6, x.hightech]));
    assert.deepEqual(by, {
      '851712': 'information-communications (50%)',
      '854231': 'electronics (50%)',
      '940161': null,
    });
    const zh = cli(
      db,
      '--format',
      'json',
      'risk',
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2017',
      '--config',
      config,
      '--lang',
      'zh',
    );
    assert.equal(zh.status, 0, zh.stderr);
    assert.equal((JSON.parse(zh.stdout) as R[]).find((x) => x.hs6 === '851712')!.hightech, '计算机通信技术 (50%)');
  });

  test('the group set documents its source and limits', () => {
    const list = cli(db, 'indicators');
    assert.equal(list.status, 0);
    const r = cli(
      db,
      '--format',
      'json',
      'compute',
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--group',
      'atp:electronics',
      '--years',
      '2017',
    );
    assert.match(r.stderr + r.stdout, /Census/);
  });
});

describe(
  'high-tech (ATP) groups from the Schedule B export concordance alone (census-atp-exports)',
  { skip: NEEDS_SHARED },
  () => {
    const DIR = join(SHARED, 'census-atp-scheduleb-2019');
    /** The ATP flag of every Schedule B line, from the CSV edition of the same concordance. */
    const csvFlags = () => {
      const [head, ...lines] = gunzipSync(readFileSync(join(DIR, 'scheduleb_2019_concordance_with_atp.csv.gz')))
        .toString('utf-8')
        .split(/\r?\n/)
        .filter((l) => l !== '');
      const cols = splitCsvLine(head);
      const code = cols.indexOf('schedule_b');
      const atp = cols.indexOf('hitech_atp');
      return lines.map((l) => splitCsvLine(l)).map((c) => ({ code: c[code], atp: c[atp] }));
    };

    test('EXP-CODE.TXT reads at the IMP-CODE.TXT positions: every line agrees with the CSV edition', () => {
      const text = gunzipSync(readFileSync(join(DIR, 'hs-10d-2019-exp-code.txt.gz'))).toString('latin1');
      const parsed = parseImportConcordance(text, 'exp-code.txt', 'EXP-CODE.TXT');
      const flags = csvFlags();
      assert.equal(parsed.length, flags.length);
      const fromCsv = new Map(flags.map((f) => [f.code, f.atp === '00' ? null : f.atp]));
      assert.equal(parsed.filter((p) => p.atp !== fromCsv.get(p.hts10)).length, 0);
      assert.ok(parsed.filter((p) => p.atp).length > 300, 'hundreds of ATP lines');
    });

    test('US imports from China by ATP group, 2017: each HS6 split by its Schedule B lines', () => {
      const db = join(tempDir(), 'store.duckdb');
      assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'countries', '--pack', 'hs-vintages').status, 0);
      const baci = join(ROOT, 'test', 'fixtures', 'baci');
      assert.equal(cli(db, 'import', 'baci', join(baci, 'BACI_HS17_Y2017_V000001.csv')).status, 0);
      const none = cli(db, 'compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--group', 'atp');
      assert.notEqual(none.status, 0);
      assert.match(none.stderr, /census-atp-exports/);
      const r = cli(db, 'setup', '--from', SHARED, '--pack', 'census-atp-exports');
      assert.equal(r.status, 0, r.stderr);
      // Line shares per HS6 and group, from the CSV edition.
      const share = new Map<string, Map<string, number>>();
      for (const f of csvFlags()) {
        const k = f.code.slice(0, 6);
        const m = share.get(k) ?? new Map<string, number>();
        m.set(f.atp, (m.get(f.atp) ?? 0) + 1);
        share.set(k, m);
      }
      const part = (hs6: string, code: string) => {
        const m = share.get(hs6)!;
        return (m.get(code) ?? 0) / [...m.values()].reduce((a, b) => a + b, 0);
      };
      // The fixture's US imports (HS2017, US$): from China, and from all partners.
      const fromChina: Record<string, number> = { '851712': 100, '854231': 20, '940161': 30 };
      const fromAll: Record<string, number> = { '851712': 115, '854231': 35, '940161': 45 };
      const expected = (code: string) => {
        const num = Object.keys(fromAll).reduce((a, k) => a + part(k, code) * (fromChina[k] ?? 0), 0);
        const den = Object.keys(fromAll).reduce((a, k) => a + part(k, code) * fromAll[k], 0);
        return (100 * num) / den;
      };
      const by = atpShares2017(db);
      close(by['information-communications'].share_pct, expected('04'));
      close(by.electronics.share_pct, expected('05'));
      close(by['not-atp'].share_pct, expected('00'));
      const doc = cli(db, 'compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--group', 'atp');
      assert.match(doc.stderr, /only the Schedule B export concordance is installed/);
    });
  },
);

describe(
  'high-tech (ATP) groups on US imports by HTS10 (census-hs10-2024): HS6 splits by US import value',
  { skip: NEEDS_SHARED },
  () => {
    const FILE = join(SHARED, 'census-hs10-2024', 'census_us_imports_hs10_by_country_2024.csv.gz');

    test("an HS6 weight is the ATP lines' value share of the subheading in US imports (EU bloc left out)", () => {
      const db = join(tempDir(), 'store.duckdb');
      const mirror = tempDir();
      mkdirSync(join(mirror, 'census-atp'));
      // Invented flag for the test: one of the HTS10 lines of 854231 is electronics.
      writeFileSync(
        join(mirror, 'census-atp', 'imp-code.txt'),
        [impRecord('8542310001', '05'), impRecord('8542310015', '')].join('\n'),
        'latin1',
      );
      assert.equal(
        cli(db, 'setup', '--from', SHARED, '--pack', 'countries', '--pack', 'census-codes', '--pack', 'hs-vintages')
          .status,
        0,
      );
      assert.equal(cli(db, 'setup', '--from', mirror, '--pack', 'census-atp').status, 0);
      assert.equal(cli(db, 'import', 'census', FILE).status, 0);
      // By hand from the file: value of 8542310001 over all 854231 lines (partners, not the EU bloc 0003), times
      // China's 854231.
      const text = gunzipSync(readFileSync(FILE)).toString('utf-8').split('\n');
      const head = splitCsvLine(text[0]);
      const [cty, hs10, val] = ['cty_code', 'hs10', 'con_val_2024_usd'].map((c) => head.indexOf(c));
      let flagged = 0;
      let all = 0;
      let china = 0;
      for (const line of text.slice(1)) {
        if (!line.includes(',854231')) continue;
        const f = splitCsvLine(line);
        if (!f[hs10]?.startsWith('854231')) continue;
        const v = Number(f[val]);
        if (f[cty] === '5700') china += v;
        if (f[cty] === '0003') continue;
        all += v;
        if (f[hs10] === '8542310001') flagged += v;
      }
      const [row] = cliJson<R>(
        db,
        'compute',
        'bilateral-share',
        '--reporter',
        'USA',
        '--partner',
        'CHN',
        '--flow',
        'import',
        '--group',
        'atp:electronics',
        '--years',
        '2024',
      );
      close(row.partner_usd, (flagged / all) * china, 1);
    });
  },
);

describe(
  "the report's supply section on multi-country product data (BACI-format fixture)",
  { skip: NEEDS_SHARED },
  () => {
    test('high-tech shares computed by ATP group, and connector economies ranked in a bar chart', () => {
      const dir = tempDir();
      const db = join(dir, 'store.duckdb');
      mkdirSync(join(dir, 'census-atp'));
      writeFileSync(join(dir, 'census-atp', 'imp-code.txt'), LINES.join('\n'), 'latin1');
      setupFromShared(db);
      assert.equal(cli(db, 'setup', '--from', dir, '--pack', 'census-atp').status, 0);
      const baci = join(ROOT, 'test', 'fixtures', 'baci');
      assert.equal(
        cli(db, 'import', 'baci', join(baci, 'BACI_HS17_Y2017_V000001.csv'), join(baci, 'BACI_HS17_Y2022_V000001.csv'))
          .status,
        0,
      );
      const r = cli(db, 'report', '--lang', 'en', '--out', join(dir, 'out'), '--formats', 'json');
      assert.equal(r.status, 0, r.stderr);
      const model = JSON.parse(readFileSync(join(dir, 'out', 'report-CHN-USA-en.json'), 'utf-8'));
      const supply = model.sections.find((x: { id: string }) => x.id === 'supply');
      const hightech = supply.tables.find((t: { id: string }) => t.id === 'groups-hightech-CHN-USA');
      assert.ok(!model.published.includes('groups-hightech-CHN-USA'));
      // CHN exports of 851712 to the USA in 2017: 100 of 140; half of the code is information-communications.
      const ict = hightech.rows.find(
        (x: R) => x.group === 'information-communications' && x.flow === 'export' && x.year === 2017,
      );
      close(ict.share_pct, (100 * 100) / 140);
      close(ict.partner_usd, 0.5 * 100 * 1000, 1);
      const connectors = supply.tables.find((t: { id: string }) => t.id === 'connectors-CHN-USA');
      // Both third economies buy from China and sell to the US; neither grew on both legs in the same product (ties
      // by name).
      assert.deepEqual(
        connectors.rows.map((x: R) => [x.economy, x.connected_growth_usd]),
        [
          ['DEU', 0],
          ['VNM', 0],
        ],
      );
      const chart = supply.charts.find((c: { id: string }) => c.id === 'connectors-CHN-USA-chart');
      assert.equal(chart.spec.mark, 'bar');
      assert.equal(chart.spec.encoding.y.sort, '-x');
      assert.ok(
        supply.findings.some(
          (f: { table: string; text: string }) => f.table === 'connectors-CHN-USA' && f.text.includes('Germany'),
        ),
      );
      assert.deepEqual(
        chart.spec.data.values.map((v: R) => v.economy),
        ['Germany', 'Vietnam'],
      );
    });
  },
);
