import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { readMeasures, shippedMeasureFiles } from '../src/measures/measureRegistry.js';
import { paperNoteSchema } from '../src/measures/measureSchema.js';
import { readFactFile } from '../src/util/factFile.js';
import { shippedDataPath } from '../src/util/paths.js';
import { NEEDS_SHARED, ROOT, SHARED, cli, cliJson, setupFromShared, tempDir } from './helpers.js';

const SEEDS = resolve(ROOT, '..', 'shared', 'seeds');
const TARIFFS = join(SHARED, 'tariffs');

/** Returns the dated mentions (YYYY-MM or YYYY-MM-DD) of each seed paper, as 'paper|date' keys. */
function paperDates(): Set<string> {
  const keys = new Set<string>();
  for (const paper of ['000', '001', '002', '003', '004']) {
    const file = readFileSync(
      join(
        SEEDS,
        `${paper}_${{ '000': '4c5a8262e13f1781', '001': '75ebcf211f03d01b', '002': '5b52caaf45a6c733', '003': 'a5e25e133aaf7441', '004': '044fd6610910511d' }[paper]}.txt`,
      ),
      'utf-8',
    );
    const text = file.replace(/\n/g, '').replace(/\s+/g, ' ');
    for (const m of text.matchAll(/((?:19|20)\d{2}) ?年 ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?/g)) {
      const date = `${m[1]}-${m[2].padStart(2, '0')}${m[3] ? `-${m[3].padStart(2, '0')}` : ''}`;
      keys.add(`${paper}|${date}`);
    }
  }
  return keys;
}

test('the shipped measures registry is valid: sourced, dated, with unique ids and known references', () => {
  const measures = readMeasures(shippedMeasureFiles());
  assert.ok(measures.length >= 130, `only ${measures.length} measures`);
  for (const m of measures) {
    assert.ok(m.sources.length >= 1 && m.sources.every((s) => /^https?:\/\//.test(s.url)), m.id);
    assert.ok(m.title.zh && m.title.en && m.summary.zh && m.summary.en, m.id);
  }
  const actors = new Set(measures.map((m) => m.actor));
  for (const a of ['USA', 'CHN', 'NLD', 'JPN', 'EU']) assert.ok(actors.has(a), `no measure by ${a}`);
  assert.ok(measures.filter((m) => m.countermeasure).length >= 20);
});

test("a measure's scope in Chinese: its lists counted and their values summed once each, entities counted", () => {
  const rows = cliJson<Record<string, unknown>>(join(tempDir(), 'store.duckdb'), 'measures', '--lang', 'zh');
  const size = (id: string) => String(rows.find((r) => r.id === id)?.size ?? '');
  // List 3 has two headings (9903.88.03 with its stated value, 9903.88.04 without one) and two rate steps each:
  // its value counts once.
  assert.match(size('us-301-list3'), /^2个清单，合计2000亿美元/);
  assert.match(size('us-301-list4'), /^2个清单，合计2800亿美元/);
  assert.match(size('us-entity-huawei-2019'), /^\d+个实体$/);
});

test('every dated mention in the seed papers is a measure or an explained note', { skip: NEEDS_SHARED }, () => {
  const covered = new Set<string>();
  for (const m of readMeasures(shippedMeasureFiles()))
    for (const p of m.papers ?? []) covered.add(`${p.paper}|${p.date}`);
  for (const n of readFactFile(shippedDataPath('measures', 'paper-notes.yaml'), paperNoteSchema).notes)
    covered.add(`${n.paper}|${n.date}`);
  const missing = [...paperDates()].filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], `dated mentions not in the registry: ${missing.join(', ')}`);
});

describe('measures and tariffs in a store', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    setupFromShared(db);
    const lists = cli(
      db,
      'import',
      'tariffs',
      join(TARIFFS, 'section301_hts8_lists.csv'),
      join(TARIFFS, 'section301_exclusions_hts10.csv'),
    );
    assert.equal(lists.status, 0, lists.stderr);
    const china = cli(
      db,
      'import',
      'tariffs',
      join(TARIFFS, 'bown_301Retaliation-hts8-2018_2019-best.csv'),
      '--importer',
      'CHN',
      '--exporter',
      'USA',
      '--rate-kind',
      'additional',
    );
    assert.equal(china.status, 0, china.stderr);
    const census = cli(
      db,
      'import',
      'census',
      join(SHARED, 'census', 'census_us_imports_hs2_by_country_monthly_2013-01_2021-06.csv.gz'),
    );
    assert.equal(census.status, 0, census.stderr);
  });

  test('event study of List 3 on Census monthly data: China share of treated chapters against untouched ones', () => {
    const r = cli(db, '--format', 'json', 'event-study', '--measure', 'us-301-list3');
    assert.equal(r.status, 0, r.stderr);
    const [share, logValue] = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    assert.equal(share.outcome, 'share_pct');
    assert.ok(
      Number(share.ci95_high) < 0,
      `China's share in treated chapters fell relative to controls: ${JSON.stringify(share)}`,
    );
    assert.ok(Number(share.ci95_low) < Number(share.estimate) && Number(share.estimate) < Number(share.ci95_high));
    assert.ok(Number(share.groups_treated) >= 40 && Number(share.groups_control) >= 5);
    assert.equal(logValue.outcome, 'log_value');
    assert.match(r.stderr, /event month 2018-09 \(k = 0\)/);
    const months = cliJson(db, 'event-study', '--measure', 'us-301-list3', '--by-month');
    assert.deepEqual(
      months.map((m) => m.k),
      Array.from({ length: 24 }, (_, i) => i - 12),
    );
    const ref = months.find((m) => m.k === -1)!;
    assert.equal(ref.share_pct_effect, 0);
    assert.ok(Number(months.find((m) => m.k === 11)!.share_pct_treated_mean) < Number(ref.share_pct_treated_mean));
  });

  test('the 2018 US tariff actions are listed with their dates and list sizes', () => {
    const rows = cliJson(
      db,
      'measures',
      '--from',
      '2018-01-01',
      '--to',
      '2018-12-31',
      '--actor',
      'USA',
      '--instrument',
      'tariff',
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get('us-301-list1')?.effective, '2018-07-06');
    assert.match(String(byId.get('us-301-list1')?.size), /34b: US\$34 bn; 34b 81\d 8-digit lines/);
    assert.equal(byId.get('us-301-list2')?.effective, '2018-08-23');
    assert.equal(byId.get('us-301-list3')?.effective, '2018-09-24');
    assert.match(String(byId.get('us-301-list3')?.size), /200b: US\$200 bn; 200b 57\d\d 8-digit lines/);
    assert.ok(!byId.has('us-301-list4'), 'List 4 (2019) is outside 2018');
    // China's retaliation lines, linked by date to the registry: the official list sizes (545, 333, 5,207 lines).
    const cn = new Map(
      cliJson(
        db,
        'measures',
        '--actor',
        'CHN',
        '--instrument',
        'tariff',
        '--from',
        '2018-01-01',
        '--to',
        '2018-12-31',
      ).map((r) => [r.id, r.size]),
    );
    assert.equal(cn.get('chn-retaliation-34b-2018'), '545 8-digit lines (rates by date)');
    assert.equal(cn.get('chn-retaliation-16b-2018'), '333 8-digit lines (rates by date)');
    assert.equal(cn.get('chn-retaliation-60b-2018'), '5207 8-digit lines (rates by date)');
    const zh = cli(db, 'measures', 'show', 'us-301-list4', '--lang', 'zh');
    assert.match(zh.stdout, /4A清单/);
    assert.match(zh.stdout, /300b_a \(9903\.88\.15\): 7\.5% 自 2020-02-14/);
  });

  test('the tariff in force on HS6 lines follows the lists and their rates by date', () => {
    const rate = (hs6: string, date: string) => {
      const rows = cliJson(db, 'tariff', '--importer', 'USA', '--exporter', 'CHN', '--hs6', hs6, '--date', date);
      return rows.find((r) => r.source === 'section301_hts8_lists.csv')!;
    };
    assert.equal(rate('854231', '2018-07-06').max_additional_pct, 0); // List 2 starts on 2018-08-23
    assert.equal(rate('854231', '2019-06-01').max_additional_pct, 25);
    assert.equal(rate('854231', '2019-06-01').lists, '16b');
    assert.equal(rate('940161', '2018-09-24').max_additional_pct, 10); // List 3 at 10%
    assert.equal(rate('940161', '2019-06-01').max_additional_pct, 25); // raised on 2019-05-10
    assert.equal(rate('940161', '2020-03-01').max_additional_pct, 25);
    const phones = rate('851712', '2020-03-01'); // List 4B never took effect
    assert.equal(phones.max_additional_pct, 0);
    assert.equal(phones.listed_in, '300b_c');
    const [line4a] = cliJson(
      db,
      'query',
      `SELECT substr(line, 1, 6) AS hs6 FROM tariff_lines WHERE list = '300b_a' AND substr(line, 1, 6) NOT IN (SELECT substr(line, 1, 6) FROM tariff_lines WHERE list <> '300b_a') ORDER BY line LIMIT 1`,
    );
    assert.equal(rate(String(line4a.hs6), '2019-10-01').max_additional_pct, 15);
    assert.equal(rate(String(line4a.hs6), '2020-03-01').max_additional_pct, 7.5);
    const soy = cliJson(
      db,
      'tariff',
      '--importer',
      'CHN',
      '--exporter',
      'USA',
      '--hs6',
      '120190',
      '--date',
      '2018-07-06',
    );
    assert.equal(soy[0].max_additional_pct, 25);
  });

  test('tariff exposure of US imports from China in 2024 by HTS8 line (Census HS10)', () => {
    const imp = cli(
      db,
      'import',
      'census',
      join(SHARED, 'census-hs10-2024', 'census_us_imports_hs10_by_country_2024.csv.gz'),
    );
    assert.equal(imp.status, 0, imp.stderr);
    // US imports from China in 2024 by the tariffs in force on a date.
    const exposureRun = (on: string) =>
      cli(
        db,
        '--format',
        'json',
        'compute',
        'tariff-exposure',
        ...['--reporter', 'USA', '--partner', 'CHN'],
        ...['--years', '2024', '--on', on],
      );
    const exposure = (on: string) => {
      const r = exposureRun(on);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    };
    const rows = exposure('2020-03-01');
    assert.deepEqual(
      rows.map((r) => r.group),
      ['25%', '7.5%', 'none'],
    );
    const total = rows.reduce((s, r) => s + Number(r.partner_imports_usd), 0);
    assert.ok(
      Math.abs(total / 1e9 - 429.4) < 0.1,
      `US imports from China 2024: ${total / 1e9} bn (data README: 429.4)`,
    );
    assert.ok(Math.abs(rows.reduce((s, r) => s + Number(r.share_of_partner_imports_pct), 0) - 100) < 1e-6);
    // The 25% group recomputed independently: imports whose HTS8 line is on Lists 1-3.
    const [direct] = cliJson(
      db,
      'query',
      `SELECT sum(value_usd) AS v FROM flows WHERE importer = 'USA' AND exporter = 'CHN' AND year = 2024 AND product_level = 10
      AND substr(product, 1, 8) IN (SELECT line FROM tariff_lines WHERE list IN ('34b', '16b', '200b'))`,
    );
    assert.ok(
      Math.abs(Number(rows[0].partner_imports_usd) - Number(direct.v)) < 1,
      `${rows[0].partner_imports_usd} vs ${direct.v}`,
    );
    const earlier = exposure('2018-07-06');
    assert.deepEqual(
      earlier.map((r) => r.group),
      ['25%', 'none'],
    );
    assert.ok(
      rows.every((r) => r.all_goods_pct === 0),
      'no duty on all goods from China in March 2020',
    );
    // In June 2025 the registry's IEEPA duties (20% fentanyl, 10% reciprocal) fall on every group, listed or not.
    const r2025 = exposureRun('2025-06-01');
    assert.equal(r2025.status, 0, r2025.stderr);
    assert.ok((JSON.parse(r2025.stdout) as Array<Record<string, unknown>>).every((r) => r.all_goods_pct === 30));
    assert.match(r2025.stderr, /2 duties on all goods from CHN also in force on 2025-06-01, 30% together/);
  });

  test('bad tariff files are refused naming the line and field, and nothing is stored', () => {
    const before = cliJson(db, 'query', 'SELECT count(*) AS n FROM tariff_lines')[0].n;
    const badList = join(dir, 'bad-lists.csv');
    writeFileSync(badList, 'hts8,tranche\n85423100,16b\n94016100,list9\n');
    let r = cli(db, 'import', 'tariffs', badList);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /bad-lists\.csv, line 3, field 'tranche': 'list9' is not a list of the measures registry/);
    const rates = join(dir, 'rates.csv');
    writeFileSync(rates, 'hs6,time_of_tariff,tariff\n854231,2018-01-01,0\n854231,2018-13-01,25\n');
    r = cli(db, 'import', 'tariffs', rates, '--importer', 'USA', '--exporter', 'CHN', '--rate-kind', 'total');
    assert.match(r.stderr, /rates\.csv, line 3, field 'time_of_tariff': '2018-13-01' is not a date/);
    writeFileSync(rates, 'hs6,time_of_tariff,tariff\n854231,2018-01-01,0\n');
    r = cli(db, 'import', 'tariffs', rates, '--importer', 'USA', '--exporter', 'CHN');
    assert.match(r.stderr, /pass --rate-kind additional\|total/);
    assert.equal(cliJson(db, 'query', 'SELECT count(*) AS n FROM tariff_lines')[0].n, before);
  });

  test('bad measure entries are refused naming the file, line and measure', () => {
    const good = {
      id: 'x-test',
      announced: '2020-01-01',
      actor: 'USA',
      target: ['CHN'],
      instrument: 'tariff',
      field: 'economic',
      title: { en: 'A test measure', zh: '测试措施' },
      summary: { en: 'A test measure', zh: '测试措施' },
      legal_basis: 'none',
      sources: [{ publisher: 'Test', title: 'Test source', date: '2020-01-01', url: 'https://example.org/' }],
      confidence: 'low',
    };
    const check = (name: string, entry: Record<string, unknown>) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `version: 1\nmeasures:\n  - ${JSON.stringify(entry)}\n`);
      return cli(db, 'measures', 'check', file);
    };
    assert.equal(check('good', good).status, 0);
    let r = check('nosource', { ...good, sources: [] });
    assert.match(
      r.stderr,
      /nosource\.yaml, line \d+: entry measures\.0\.sources \(id x-test\): at least one source is required/,
    );
    r = check('instrument', { ...good, instrument: 'embargo' });
    assert.match(r.stderr, /instrument\.yaml, line 3: entry measures\.0\.instrument \(id x-test\)/);
    r = check('dates', { ...good, effective: '2020-02-01', ended: '2019-12-31' });
    assert.match(r.stderr, /dates\.yaml, line 3: measure x-test: ended 2019-12-31 is before it started/);
    // A user's measure may respond to a shipped one; it may not reuse a shipped id.
    assert.equal(check('responds', { ...good, responds_to: ['us-301-list1'] }).status, 0);
    r = check('unknown-ref', { ...good, responds_to: ['no-such-measure'] });
    assert.match(r.stderr, /responds_to names an unknown measure 'no-such-measure'/);

    r = check('hs', { ...good, products: [{ hs: '854299', vintage: 'HS2017' }] });
    assert.match(r.stderr, /hs\.yaml, line 3: measure x-test: HS code 854299 does not exist in HS2017/);
    r = check('clash', { ...good, id: 'us-301-list1' });
    assert.match(r.stderr, /clash\.yaml, line 3: the id 'us-301-list1' is a shipped measure's; choose another/);
  });
});
