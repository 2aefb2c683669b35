import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { NEEDS_SHARED, ROOT, SHARED, cli, cliJson, tempDir } from './helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/** A fresh store with the countries pack from the shared mirror. */
function storeWithCountries(): string {
  const db = join(tempDir(), 'store.duckdb');
  const r = cli(db, 'setup', '--from', SHARED, '--pack', 'countries');
  assert.equal(r.status, 0, r.stderr);
  return db;
}

const CUSTOMS = [
  '年份,月份,贸易伙伴,进出口,商品编码,金额',
  '2023,1,美国,出口,8517.13,"1,250.5"',
  '2023,1,美利坚合众国,进口,8542.31,300',
  '2023,1,越南,出口,8517.13,80',
  '2023,2,中国台湾,进口,8542.31,900',
].join('\n');

describe('decouple import csv --map', { skip: NEEDS_SHARED }, () => {
  test('a GBK customs table with Chinese headers, names, flows and thousand separators', () => {
    const db = storeWithCountries();
    const file = join(tempDir(), 'customs.csv');
    writeFileSync(file, iconv.encode(CUSTOMS, 'gbk'));
    const out = cliJson(db, 'import', 'csv', file, '--map', join(FIXTURES, 'customs-mapping.yaml'));
    assert.equal(out[0].rows, 4);
    assert.match(String(out[0].notes), /gb18030|gbk/i);
    const rows = cliJson(
      db,
      'query',
      `SELECT exporter, importer, reporter_side, month, product, product_level, value_usd, valuation FROM flows ORDER BY month, value_usd DESC`,
    );
    assert.deepEqual(rows[0], {
      exporter: 'CHN',
      importer: 'USA',
      reporter_side: 'exporter',
      month: 1,
      product: '851713',
      product_level: 6,
      value_usd: 1250500,
      valuation: 'FOB',
    });
    assert.deepEqual(rows[1], {
      exporter: 'USA',
      importer: 'CHN',
      reporter_side: 'importer',
      month: 1,
      product: '854231',
      product_level: 6,
      value_usd: 300000,
      valuation: 'CIF',
    });
    assert.equal(rows[3].exporter, 'TWN');
    // The same file again adds nothing.
    const again = cliJson(db, 'import', 'csv', file, '--map', join(FIXTURES, 'customs-mapping.yaml'));
    assert.equal(again[0].status, 'already imported');
  });

  test('a series without a product: partner economies, periods and units', () => {
    const db = storeWithCountries();
    const file = join(tempDir(), 'students.csv');
    writeFileSync(file, 'economy,host,year,count\nCHN,USA,2019,100\nCHN,USA,2020,90\nCHN,GBR,2020,50\n');
    cliJson(db, 'import', 'csv', file, '--map', join(FIXTURES, 'series-mapping.yaml'));
    const rows = cliJson(
      db,
      'query',
      `SELECT country, partner, period, frequency, value, unit FROM series WHERE indicator = 'test_students_abroad' ORDER BY partner, period`,
    );
    assert.deepEqual(
      rows.map((r) => `${r.partner} ${r.period} ${r.frequency} ${r.value} ${r.unit}`),
      ['GBR 2020 A 50 persons', 'USA 2019 A 100 persons', 'USA 2020 A 90 persons'],
    );
  });

  test('bad mapping files and bad cells are named, and nothing is stored', () => {
    const db = storeWithCountries();
    const dir = tempDir();
    const file = join(dir, 'customs.csv');
    writeFileSync(file, CUSTOMS);
    const badMapping = join(dir, 'bad.yaml');
    writeFileSync(
      badMapping,
      'kind: flows\nreporter: CHN\ncolumns: { year: 年份, partner: 贸易伙伴, flow: 进出口, value: 金额, colour: x }\nclassification: TOTAL\n',
    );
    let r = cli(db, 'import', 'csv', file, '--map', badMapping);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /bad\.yaml, line 3: entry columns: Unrecognized key: "colour"/);
    const noFlowValue = join(dir, 'flowless.yaml');
    writeFileSync(
      noFlowValue,
      'kind: flows\nreporter: CHN\ncountries: name\ncountry_codes: { 美国: USA }\ncolumns: { year: 年份, partner: 贸易伙伴, flow: 进出口, value: 金额 }\nclassification: TOTAL\nthousands: ","\nflow_values: { export: [出口], import: [imports] }\n',
    );
    r = cli(db, 'import', 'csv', file, '--map', noFlowValue);
    assert.match(r.stderr, /flowless\.yaml.*'进口'.*line 3.*flow_values/);
    const textValue = join(dir, 'text.csv');
    writeFileSync(textValue, CUSTOMS.replace('300', 'n/a'));
    r = cli(db, 'import', 'csv', textValue, '--map', join(FIXTURES, 'customs-mapping.yaml'));
    assert.match(r.stderr, /text\.csv.*line 3.*金额.*'n\/a' is not a number/);
    const unknownName = join(dir, 'unknown.csv');
    writeFileSync(unknownName, CUSTOMS.replace('越南', '越难'));
    r = cli(db, 'import', 'csv', unknownName, '--map', join(FIXTURES, 'customs-mapping.yaml'));
    assert.match(r.stderr, /unknown\.csv.*line 4.*unknown country code '越难'/);
    const count = cliJson(db, 'query', 'SELECT count(*) AS n FROM flows');
    assert.equal(count[0].n, 0);
    assert.equal(cliJson(db, 'datasets').filter((d) => String(d.source).startsWith('csv')).length, 0);
  });
});
