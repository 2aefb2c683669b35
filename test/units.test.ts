import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, formatRows } from '../src/report/tableOutput.js';
import { parseYears } from '../src/core/inputs.js';
import { hsVintage, htsVintageForYear } from '../src/reference/hsVintages.js';
import { splitCsvLine } from '../src/files/csvStage.js';
import { detectEncoding } from '../src/files/textEncoding.js';
import { hsCode, PACKS } from '../src/reference/packs.js';
import { CODE_PATTERN, codeSpans } from '../src/report/codeSpans.js';
import { CHART_CONFIG } from '../src/report/chartStyle.js';
import { chapterTitleZh, hsChapterTitlesZh } from '../src/reference/hsChapterTitles.js';
import { readGroupFile } from '../src/countries/groups.js';
import { codeSystems } from '../src/reference/codeSystems.js';
import { shippedDataPath } from '../src/util/paths.js';
import iconv from 'iconv-lite';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers.js';

test('CSV cells cannot carry spreadsheet formulas', () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell('a,b'), '"a,b"');
});

test('tables always have a header row, in every format', () => {
  const rows = [{ year: 2020, share_pct: 17.5 }];
  assert.match(formatRows(rows, 'csv'), /^year,share_pct\n2020,17.5\n$/);
  assert.deepEqual(JSON.parse(formatRows(rows, 'json')), rows);
  assert.match(formatRows([], 'csv', ['year']), /^year\n$/);
});

test('year ranges', () => {
  assert.deepEqual(parseYears('2012-2020'), [2012, 2020]);
  assert.deepEqual(parseYears('2019'), [2019, 2019]);
  assert.throws(() => parseYears('2020-2012'), /before the start/);
  assert.throws(() => parseYears('20'), /YYYY/);
});

test('HS vintages from Comtrade, BACI and Census conventions', () => {
  assert.equal(hsVintage('H5'), 'HS2017');
  assert.equal(hsVintage('HS92'), 'HS1992');
  assert.equal(hsVintage('X9'), undefined);
  assert.equal(htsVintageForYear(2018), 'HS2017');
  assert.equal(htsVintageForYear(2024), 'HS2022');
  assert.equal(hsCode('0101.10'), '010110');
  assert.equal(hsCode(10121), '010121');
});

test('CSV header splitting honours quotes', () => {
  assert.deepEqual(splitCsvLine('a,"b,c","d""e"'), ['a', 'b,c', 'd"e']);
});

test('encodings: UTF-8 passes; GBK/GB18030, Big5 and Shift-JIS are told apart and decode to the same text; binary and unclear bytes are refused', () => {
  assert.equal(detectEncoding('x.csv', Buffer.from('reporter,伙伴\n', 'utf-8')), 'utf-8');
  assert.equal(detectEncoding('x.csv', iconv.encode('国家,伙伴,美国,中国\n', 'gbk')), 'gb18030');
  const samples: Array<[string, string]> = [
    ['gb18030', 'reporter,partner,year,value\n中国,美国,2020,100\n中国,日本,2020,50\n台湾省,中国香港,2021,20\n'],
    // Big5 bytes of traditional characters are also valid GB18030 ("臺灣" would read "籓芖"): the detector must choose
    // Big5.
    ['big5', 'reporter,partner,year,value\n臺灣,美國,2020,100\n臺灣,日本,2020,50\n中華民國,香港,2021,20\n'],
    ['shift_jis', 'reporter,partner,year,value\n日本,米国,2020,100\n日本,中国,2020,50\n東京都,大阪府,2021,20\n'],
  ];
  for (const [enc, text] of samples) {
    const bytes = iconv.encode(text, enc);
    const found = detectEncoding('x.csv', bytes);
    assert.equal(found, enc, enc);
    assert.equal(iconv.decode(bytes, found), text, enc);
  }
  // Too short for chardet's statistics: the standards' most frequent blocks decide.
  for (const [enc, text] of [
    ['gb18030', '美国,1\n'],
    ['gb18030', '中国台湾,2\n'],
    ['big5', '臺灣,1\n'],
    ['big5', '美國,2\n'],
    ['shift_jis', '日本国,3\n'],
  ]) {
    assert.equal(detectEncoding('x.csv', iconv.encode(text, enc)), enc, text);
  }
  assert.throws(() => detectEncoding('x.csv', Buffer.from([0x50, 0x4b, 0x03, 0x00, 0xff])), /binary content/);
  assert.throws(
    () => detectEncoding('x.csv', iconv.encode('country,value\nCôte d’Ivoire,1\n', 'latin1')),
    /give its encoding with --encoding/,
  );
});

test('shipped country groups are valid and cited; bad entries are refused with the entry named', () => {
  const groups = readGroupFile(shippedDataPath('country-groups.yaml')).groups;
  for (const id of ['ASEAN', 'EU', 'G7', 'USMCA', 'NAFTA', 'CPTPP', 'RCEP', 'IPEF', 'CHIP4', 'BRICS', 'OECD']) {
    const g = groups.find((x) => x.id === id);
    assert.ok(g, id);
    assert.ok(g.source.title && g.source.url, `${id} has a source`);
  }
  const eu = groups.find((g) => g.id === 'EU')!;
  assert.equal(eu.members.find((m) => m.iso3 === 'GBR')?.to, '2020-01-31');
  assert.equal(eu.members.length, 28);
  const dir = tempDir();
  const bad = join(dir, 'groups.yaml');
  writeFileSync(
    bad,
    'version: 1\ngroups:\n  - id: X\n    name_en: X\n    name_zh: X\n    kind: k\n    source: {title: t, url: u}\n    members:\n      - {iso3: USA, from: 2020-01-01, to: 2019-01-01}\n',
  );
  assert.throws(
    () => readGroupFile(bad),
    /groups\.yaml, line \d+: entry groups\.0\.members\.0\.to \(id X\): end date 2019-01-01 is before start 2020-01-01/,
  );
});

test('code systems: Comtrade exceptions and IMF names', () => {
  const s = codeSystems();
  assert.equal(s.comtrade.codes['842'], 'USA');
  assert.equal(s.comtrade.codes['490'], 'TWN');
  assert.equal(s.comtrade.codes['251'], 'FRA');
  assert.equal(s.imf.names['China, P.R.: Mainland'], 'CHN');
  assert.equal(s.imf.names['Taiwan Province of China'], 'TWN');
  assert.equal(s.imf.names['Congo, Dem. Rep. of the'], 'COD');
});

test('the indicator registry is complete and docs/indicators.md is generated from it', async () => {
  const { INDICATORS } = await import('../src/indicators/registry.js');
  const { indicatorDocsMarkdown } = await import('../src/indicators/indicatorDocs.js');
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { ROOT } = await import('./helpers.js');
  const ids = new Set<string>();
  for (const d of INDICATORS) {
    assert.match(d.id, /^[a-z]+(-[a-z]+)*$/, `${d.id}: kebab-case`);
    assert.ok(!ids.has(d.id), `${d.id} twice`);
    ids.add(d.id);
    for (const field of [
      d.name.en,
      d.name.zh,
      d.formula,
      d.unit,
      d.needs,
      d.reading.en,
      d.reading.zh,
      d.reference,
      d.headline,
    ])
      assert.ok(field.trim().length > 0, `${d.id}: empty field`);
    assert.match(d.name.zh, /[\u4e00-\u9fff]/, `${d.id}: Chinese name`);
  }
  assert.equal(
    readFileSync(join(ROOT, 'docs', 'indicators.md'), 'utf-8'),
    indicatorDocsMarkdown(),
    'docs/indicators.md is stale: run decouple indicators --markdown > docs/indicators.md',
  );
});

test('panel OLS with unit and time effects reproduces a hand-computed difference in differences', async () => {
  const { panelOls } = await import('../src/stats/panelOls.js');
  // 4 units x 3 periods; units 0 and 1 treated from period 2. Unit and time effects plus a known effect and noise.
  const unitFx = [1, -2, 0.5, 3];
  const timeFx = [0, 0.7, 1.1];
  const noise = [0.1, -0.2, 0.05, 0.3, -0.1, 0.2, -0.05, 0.15, 0.0, 0.25, -0.3, 0.1];
  const y: number[] = [],
    d: number[] = [],
    unit: number[] = [],
    time: number[] = [];
  for (let u = 0; u < 4; u++)
    for (let t = 0; t < 3; t++) {
      const treated = u < 2 && t === 2 ? 1 : 0;
      y.push(unitFx[u] + timeFx[t] + 2 * treated + noise[u * 3 + t]);
      d.push(treated);
      unit.push(u);
      time.push(t);
    }
  const est = panelOls({
    y: Float64Array.from(y),
    x: [Float64Array.from(d)],
    unit: Int32Array.from(unit),
    time: Int32Array.from(time),
    cluster: Int32Array.from(unit),
  });
  // By hand: change from the mean of periods 0-1 to period 2, treated minus control.
  const change = (u: number) => y[u * 3 + 2] - (y[u * 3] + y[u * 3 + 1]) / 2;
  const byHand = (change(0) + change(1)) / 2 - (change(2) + change(3)) / 2;
  assert.ok(Math.abs(est.beta[0] - byHand) < 1e-9, `${est.beta[0]} vs ${byHand}`);
  assert.ok(est.se[0] > 0 && Number.isFinite(est.se[0]));
  assert.equal(est.df, 3);
  assert.ok(est.ciLow[0] < est.beta[0] && est.beta[0] < est.ciHigh[0]);
});

test('decoupling index: z-scores on the common years, equal and principal-component weights (by hand)', async () => {
  const { combineDimensions } = await import('../src/indicators/decouplingIndex.js');
  const dim = (id: string, pairs: Array<[number, number]>) => ({
    id,
    group: 'trade' as const,
    label: id,
    values: new Map(pairs),
    source: 'test',
  });
  const years = [2015, 2016, 2017, 2018, 2019];
  const a = [10, 12, 11, 9, 8];
  const b = [1, 3, 2, 2, 0];
  const r = combineDimensions(
    [
      dim('a', [[2014, 7], ...years.map((y, i) => [y, a[i]] as [number, number])]),
      dim(
        'b',
        years.map((y, i) => [y, b[i]] as [number, number]),
      ),
      dim('c', [[2020, 1]]),
    ],
    'CHN',
    'USA',
  );
  assert.deepEqual(
    r.rows.map((x) => x.year),
    years,
  );
  // By hand: a has mean 10 and sd √2.5; b mean 1.6, sd √1.3.
  const za = a.map((v) => (v - 10) / Math.sqrt(2.5));
  const zb = b.map((v) => (v - 1.6) / Math.sqrt(1.3));
  years.forEach((_, t) => {
    assert.ok(Math.abs(Number(r.rows[t].a_z) - za[t]) < 1e-12);
    assert.ok(Math.abs(Number(r.rows[t].index_equal) - (za[t] + zb[t]) / 2) < 1e-12);
  });
  // With two dimensions the first component of a positive correlation loads both at 1/√2: weights 1/2 each, and
  // it explains (1 + ρ) / 2 of the variance.
  const rho = za.reduce((s, v, t) => s + v * zb[t], 0) / 4;
  assert.ok(rho > 0);
  years.forEach((_, t) => assert.ok(Math.abs(Number(r.rows[t].index_pca) - Number(r.rows[t].index_equal)) < 1e-12));
  assert.ok(
    r.notes.some((n) => n.includes(`explains ${Math.round(((1 + rho) / 2) * 1e4) / 100}% of the variance`)),
    r.notes.join('\n'),
  );
  assert.ok(r.notes.some((n) => /c: 1 year\(s\) only, left out/.test(n)));
  // A dimension that would leave too few common years is left out and named.
  const sparse = combineDimensions(
    [
      dim(
        'a',
        years.map((y, i) => [y, a[i]] as [number, number]),
      ),
      dim(
        'b',
        years.map((y, i) => [y, b[i]] as [number, number]),
      ),
      dim('d', [
        [2015, 1],
        [2017, 2],
        [2019, 4],
      ]),
    ],
    'CHN',
    'USA',
  );
  assert.equal(sparse.rows.length, 5);
  assert.ok(sparse.notes.some((n) => /^d left out: with it only 3 years/.test(n)));
  assert.equal(combineDimensions([dim('a', [[2020, 1]])], 'CHN', 'USA').rows.length, 0);
});

test('principal components: Jacobi eigenvalues of a known symmetric matrix', async () => {
  const { symmetricEigen } = await import('../src/stats/principalComponents.js');
  // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/√2 and (1,−1)/√2.
  const e = symmetricEigen([
    [2, 1],
    [1, 2],
  ]);
  assert.ok(Math.abs(e.values[0] - 3) < 1e-12 && Math.abs(e.values[1] - 1) < 1e-12);
  assert.ok(Math.abs(Math.abs(e.vectors[0][0]) - Math.SQRT1_2) < 1e-12);
  // A 3×3 case: the eigen-equation A v = λ v holds for every pair.
  const A = [
    [4, 1, 2],
    [1, 3, 0.5],
    [2, 0.5, 5],
  ];
  const f = symmetricEigen(A);
  for (let k = 0; k < 3; k++)
    for (let i = 0; i < 3; i++) {
      const av = A[i].reduce((s, x, j) => s + x * f.vectors[j][k], 0);
      assert.ok(Math.abs(av - f.values[k] * f.vectors[i][k]) < 1e-10);
    }
  assert.ok(Math.abs(f.values.reduce((s, x) => s + x, 0) - 12) < 1e-10);
});

test('rolling correlation: Pearson r by hand, and null for a constant series', async () => {
  const { pearson } = await import('../src/stats/correlation.js');
  // x = 1..5, y = 2, 4, 5, 4, 5: Sxy = 6, Sxx = 10, Syy = 6 → r = 6 / √60.
  assert.ok(Math.abs(Number(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])) - 6 / Math.sqrt(60)) < 1e-15);
  assert.equal(pearson([1, 2, 3], [1, 1, 1]), null);
  assert.equal(pearson([1, 2], [1, 2]), null);
});

test('migrations 5 and 6: a store of schema 4 keeps its flows (now in flow_records, read through the view flows), with exporter and importer as economy_code', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { MIGRATIONS, latestSchemaVersion } = await import('../src/store/schema.js');
  const { Store } = await import('../src/store/store.js');
  const path = join(tempDir(), 'v4.duckdb');
  // A store as version 4 of the schema left it (DuckDB's default storage format).
  const instance = await DuckDBInstance.create(path);
  const con = await instance.connect();
  await con.run(
    `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)`,
  );
  for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
    for (const s of m.statements) await con.run(s);
    await con.run(`INSERT INTO schema_migrations (version, description) VALUES (${m.version}, 'v${m.version}')`);
  }
  await con.run(`INSERT INTO flows (dataset_id, year, exporter, importer, reporter_side, classification, product_level, product, value_usd, valuation)
                 VALUES (1, 2019, 'CHN', 'USA', 'reconciled', 'HS2017', 6, '851712', 5, 'FOB'), (1, 2019, 'USA', 'WLD', 'exporter', 'TOTAL', 0, 'TOTAL', 7, 'FOB')`);
  con.closeSync();
  instance.closeSync();
  const store = await Store.open(path);
  try {
    assert.equal(await store.schemaVersion(), latestSchemaVersion());
    assert.equal((await store.one(`SELECT count(*) AS n FROM flow_records`))?.n, 2);
    const rows = await store.all(
      `SELECT exporter, importer, value_usd FROM flows WHERE exporter = 'CHN' OR importer = $1 ORDER BY exporter`,
      ['WLD'],
    );
    assert.deepEqual(rows, [
      { exporter: 'CHN', importer: 'USA', value_usd: 5 },
      { exporter: 'USA', importer: 'WLD', value_usd: 7 },
    ]);
    const type = await store.one(
      `SELECT data_type LIKE 'ENUM(''?'', ''AAA'', ''AAB''%' AS is_enum FROM information_schema.columns WHERE table_name = 'flows' AND column_name = 'importer'`,
    );
    assert.equal(type?.is_enum, true);
    // The order of codes is that of their text ('?' first), so ORDER BY and min/max agree with strings.
    const order = await store.one(
      `SELECT '?'::economy_code < 'AAA'::economy_code AND 'CHN'::economy_code < 'USA'::economy_code AS ordered`,
    );
    assert.equal(order?.ordered, true);
  } finally {
    store.close();
  }
});

test('configuration: every environment variable is read through src/core/config.ts, and doctor shows each with the value in force (secrets masked)', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith(join('core', 'config.ts'))) {
        readFileSync(p, 'utf-8')
          .split('\n')
          .forEach((line, i) => {
            // proxy.ts takes the environment as a parameter (tests pass their own); its default is the only other
            // reader.
            if (/process\.env\b/.test(line) && !/env: NodeJS\.ProcessEnv = process\.env/.test(line))
              offenders.push(`${p}:${i + 1}`);
          });
      }
    }
  };
  walk(join(ROOT, 'src'));
  assert.deepEqual(offenders, []);
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'decouple.js'), '--db', join(tempDir(), 's.duckdb'), '--format', 'json', 'doctor'],
    {
      encoding: 'utf-8',
      env: { ...process.env, DECOUPLE_LOCK_WAIT: '3', DECOUPLE_TOKEN: 'a-secret-token', DECOUPLE_QUIET: '1' },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ check: string; status: string; detail: string }>;
  const row = (name: string) => rows.find((x) => x.check === `setting ${name}`);
  assert.deepEqual([row('DECOUPLE_LOCK_WAIT')?.status, row('DECOUPLE_LOCK_WAIT')?.detail.split(' ')[0]], ['set', '3']);
  assert.equal(row('DECOUPLE_TOKEN')?.detail.includes('a-secret-token'), false);
  assert.equal(row('DECOUPLE_QUERY_TIMEOUT')?.status, 'default');
});

test('country codes and names ship with the program: a fresh store imports BACI (numeric codes) before any setup', () => {
  const db = join(tempDir(), 's.duckdb');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, '--format', 'json', ...args], {
      encoding: 'utf-8',
      env: { ...process.env, DECOUPLE_QUIET: '1' },
    });
  const imported = run('import', 'baci', join(ROOT, 'test', 'fixtures', 'baci', 'BACI_HS17_Y2017_V000001.csv'));
  assert.equal(imported.status, 0, imported.stderr);
  const q = run(
    'query',
    `SELECT (SELECT count(*) FROM countries WHERE NOT is_aggregate) AS economies,
            (SELECT name_zh FROM countries WHERE iso3 = 'CHN') AS chn, (SELECT name_en FROM countries WHERE iso3 = 'USA') AS usa,
            (SELECT vintage FROM datasets WHERE source = 'pack:countries') AS source,
            (SELECT count(DISTINCT exporter) FROM flows) AS exporters`,
  );
  assert.equal(q.status, 0, q.stderr);
  const [row] = JSON.parse(q.stdout) as Array<Record<string, unknown>>;
  assert.ok(Number(row.economies) >= 249, `${row.economies} economies`);
  assert.deepEqual([row.chn, row.usa], ['中国', 'United States of America']);
  assert.match(String(row.source), /^i18n-iso-countries \d/);
  assert.ok(Number(row.exporters) > 1);
});

test('each top-level command loads only the module that registers it, and the map names every command', async () => {
  const { buildProgram, COMMAND_MODULES } = await import('../src/cli/main.js');
  const everything = (await buildProgram([])).commands.map((c) => c.name());
  const named = COMMAND_MODULES.flatMap((m) => m.commands);
  assert.deepEqual([...everything].sort(), [...named].sort(), 'the map and the full program agree');
  for (const name of named) {
    const only = (await buildProgram(['--db', 'x.duckdb', name, '--help'])).commands.map((c) => c.name());
    assert.ok(only.includes(name), `${name} is registered by the module the map names`);
    assert.ok(only.length < everything.length, `${name} loads one module, not all`);
  }
});

test('file names, commands, options and pack names are set as code; the dashboard uses the same pattern', () => {
  const text =
    '2024年：census_us_imports_hs10_by_country_2024.csv.gz为HS10位编码；请运行 decouple setup --from DIR（参考包“census-atp”），或 --world-from-partners';
  const parts = codeSpans(text);
  assert.deepEqual(
    parts.filter((p) => p.code).map((p) => p.text),
    [
      'census_us_imports_hs10_by_country_2024.csv.gz',
      'decouple setup --from DIR',
      'census-atp',
      '--world-from-partners',
    ],
  );
  assert.equal(parts.map((p) => p.text).join(''), text, 'nothing lost or repeated');
  assert.deepEqual(codeSpans('HS6 and BEC Rev.4 stay prose'), [{ text: 'HS6 and BEC Rev.4 stay prose', code: false }]);
  // A command and the file name that touches it are one code part (two would print as `…tariff``_database…`).
  assert.deepEqual(
    codeSpans('import it (decouple import tariffs tariff_database_YYYY.txt)').filter((p) => p.code),
    [{ text: 'decouple import tariffs tariff_database_YYYY.txt', code: true }],
  );
  // Every pack with a hyphenated name is found.
  for (const p of PACKS.filter((x) => x.name.includes('-')))
    assert.deepEqual(
      codeSpans(`pack ${p.name}.`).map((x) => x.code),
      [false, true, false],
      p.name,
    );
  const app = readFileSync(join(ROOT, 'web', 'app.js'), 'utf-8');
  const m = /const CODE_PATTERN =\s*(\/.*\/g);/.exec(app);
  assert.ok(m, 'web/app.js defines CODE_PATTERN');
  assert.equal(m[1], `/${CODE_PATTERN.source}/g`);
});

test("the dashboard's own charts take the report's house style (colour-blind-safe palette)", () => {
  const app = readFileSync(join(ROOT, 'web', 'app.js'), 'utf-8');
  const m = /const CHART_CONFIG = (\{[\s\S]*?\n\});/.exec(app);
  assert.ok(m, 'web/app.js defines CHART_CONFIG');
  const parsed = Function(`return (${m[1]});`)() as unknown;
  assert.deepEqual(parsed, CHART_CONFIG);
  assert.equal(new Set(CHART_CONFIG.range.category).size, CHART_CONFIG.range.category.length);
});

test('HS chapter titles in Chinese: every chapter 01–99 but the reserved 77, marked as the project translation', () => {
  const { source, chapters } = hsChapterTitlesZh();
  const expected = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '77');
  assert.deepEqual(Object.keys(chapters).sort(), expected);
  assert.match(source, /Project translation/);
  assert.equal(chapterTitleZh('854231'), chapters['85']);
  assert.equal(chapterTitleZh('770000'), undefined);
  for (const t of Object.values(chapters)) assert.doesNotMatch(t, /[A-Za-z]/, t);
});
