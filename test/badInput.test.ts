import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { spawn } from 'node:child_process';
import { ROOT, SHARED, NEEDS_SHARED, cli, cliJson, storeCounts, tempDir, zipArchive } from './helpers.js';
import { Store } from '../src/store/store.js';

const HEADER = 't,i,j,k,v,q';
const GOOD =
  [HEADER, '2019,156,842,851712,1000.5,2.5', '2019,842,156,880240,200,1', '2019,156,842,950300,50,NA'].join('\n') +
  '\n';

describe('bad input is refused with file, line and field, and the store is unchanged', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const snapshot = () => storeCounts(db);
  before(() => {
    assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'countries').status, 0);
    const good = join(dir, 'BACI_HS17_Y2019_V202501.csv');
    writeFileSync(good, GOOD);
    const r = cli(db, 'import', 'baci', good);
    assert.equal(r.status, 0, r.stderr);
  });

  const cases: Array<[string, string | Buffer, RegExp, string[]?]> = [
    ['truncated file', GOOD + '2019,156,842,85', /line 5.*fewer fields than the header/],
    ['wrong header', 'year,i,j,k,v,q\n2019,156,842,851712,1,1\n', /line 1, field 't': the header has no column 't'/],
    [
      'text in a number column',
      HEADER + '\n2019,156,842,851712,abc,1\n',
      /line 2, field 'v': the value is not a number/,
    ],
    ['negative value', HEADER + '\n2019,156,842,851712,-5,1\n', /line 2, field 'v': negative trade value/],
    ['unknown country code', HEADER + '\n2019,156,999,851712,5,1\n', /line 2, field 'j': unknown country code '999'/],
    [
      'duplicated row (different value)',
      HEADER + '\n2019,156,842,851712,5,1\n2019,156,842,851712,7,1\n',
      /line 3, field 'k': duplicated row with a different value.*line 2/,
    ],
    ['impossible year', HEADER + '\n2091,156,842,851712,5,1\n', /line 2, field 't': impossible year 2091/],
    // Rows the fast path marks during its insert (sentinels), then names through the slow path.
    [
      'a value that is not a number',
      HEADER + '\n2019,156,842,851712,5,1\n2019,842,156,851712,nan,1\n',
      /line 3, field 'v': the trade value is not a finite number/,
    ],
    [
      'an infinite value',
      HEADER + '\n2019,156,842,851712,inf,1\n',
      /line 2, field 'v': the trade value is not a finite number/,
    ],
    [
      'a quantity that is not a number',
      HEADER + '\n2019,156,842,851712,5,nan\n',
      /line 2, field 'q': the quantity is not a finite number/,
    ],
    ['a negative quantity', HEADER + '\n2019,156,842,851712,5,-1\n', /line 2, field 'q': negative quantity -1/],
    [
      'a code outside the HS nomenclature (chapter 99)',
      HEADER + '\n2019,156,842,999999,5,1\n',
      /line 2, field 'k': '999999' is not an HS6 code of the nomenclature/,
    ],
    [
      'a code in the reserved chapter 77',
      HEADER + '\n2019,156,842,851712,5,1\n2019,156,842,770110,5,1\n',
      /line 3, field 'k': '770110' is not an HS6 code/,
    ],
    [
      'letters in a product code',
      HEADER + '\n2019,156,842,8517a2,5,1\n',
      /line 2, field 'k': '8517a2' is not a product code/,
    ],
    [
      'a negative country code',
      HEADER + '\n2019,-156,842,851712,5,1\n',
      /line 2, field 'i': unknown country code '-156'/,
    ],
    [
      'a country code beyond every known one',
      HEADER + '\n2019,156,84200,851712,5,1\n',
      /line 2, field 'j': unknown country code '84200'/,
    ],
    [
      'a value that overflows when scaled to dollars',
      HEADER + '\n2019,156,842,851712,1.7e306,1\n',
      /line 2, field 'v': the trade value is not a finite number/,
    ],
    [
      'an extra column',
      't,i,j,k,v,q,x\n2019,156,842,851712,5,1,7\n',
      /line 1, field 'x': the header has a column 'x' that this layout does not have/,
    ],
    [
      "a year other than the file name's",
      HEADER + '\n2019,156,842,851712,5,1\n2020,842,156,851712,5,1\n',
      /line 3, field 't': the year 2020 is not the file's year 2019/,
    ],
    [
      'a zip bomb',
      zipArchive('BACI_HS17_Y2019_V202599.csv', HEADER + '\n' + '2019,156,842,851712,5,1\n'.repeat(1_500_000)),
      /possible decompression bomb/,
    ],
    ['empty file', '', /line 1: the file is empty/],
    ['header only', HEADER + '\n', /line 2: the file has a header but no data rows/],
    ['binary garbage', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x41]), /binary content/],
    ['zip with the wrong member', zipArchive('readme.txt', 'hello'), /no BACI yearly file/],
  ];
  for (const [name, content, expected] of cases) {
    test(name, async () => {
      const before = await snapshot();
      const file = join(
        dir,
        `BACI_HS17_Y2019_V2025${String(cases.findIndex((c) => c[0] === name)).padStart(2, '0')}.${Buffer.isBuffer(content) && content[0] === 0x50 ? 'zip' : 'csv'}`,
      );
      writeFileSync(file, content);
      const r = cli(db, 'import', 'baci', file);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.deepEqual(await snapshot(), before);
    });
  }

  test('the dataset records the SHA-256 and size of the file (hashed while loading); the same bytes again add nothing', () => {
    const file = join(dir, 'BACI_HS17_Y2016_V202501.csv');
    const content = HEADER + '\n2016,156,842,851712,5,1\n2016,842,156,880240,3,\n';
    writeFileSync(file, content);
    const out = cliJson(db, 'import', 'baci', file);
    assert.equal(out[0].status, 'imported');
    const [row] = cliJson(db, 'query', `SELECT sha256, bytes FROM datasets WHERE dataset_id = ${out[0].dataset_id}`);
    assert.deepEqual(row, {
      sha256: createHash('sha256').update(content).digest('hex'),
      bytes: Buffer.byteLength(content),
    });
    const again = cliJson(db, 'import', 'baci', file);
    assert.equal(again[0].status, 'already imported');
    // Same size, other bytes: hashed first, then imported.
    const other = join(dir, 'BACI_HS17_Y2016_V202502.csv');
    writeFileSync(other, content.replace('5,1', '6,1'));
    const third = cliJson(db, 'import', 'baci', other);
    assert.equal(third[0].status, 'imported');
  });

  test('distinct flows whose 32-bit key hashes collide are not taken for repeats', () => {
    // 200,000 distinct flows: about n²/2³³ ≈ 4.7 pairs share the 32-bit hash the fast path sorts on.
    const economies = [
      '4',
      '8',
      '12',
      '24',
      '32',
      '36',
      '40',
      '50',
      '56',
      '76',
      '124',
      '156',
      '170',
      '208',
      '246',
      '251',
      '276',
      '300',
      '356',
      '360',
    ];
    const lines = [HEADER];
    for (const i of economies)
      for (const j of economies)
        if (i !== j) for (let p = 0; p < 527; p++) lines.push(`2015,${i},${j},${100000 + p * 17},${1 + p},1`);
    const file = join(dir, 'BACI_HS17_Y2015_V202501.csv');
    writeFileSync(file, lines.slice(0, 200_001).join('\n') + '\n');
    const out = cliJson(db, 'import', 'baci', file);
    assert.equal(out[0].rows, 200_000);
    const [c] = cliJson(
      db,
      'query',
      `SELECT count(*) AS pairs FROM (
        SELECT CAST(hash(year, exporter, importer, product) >> 32 AS UINTEGER) AS h FROM flows WHERE dataset_id = ${out[0].dataset_id}
        GROUP BY h HAVING count(*) > 1)`,
    );
    assert.ok(
      Number(c.pairs) > 0,
      'the file has at least one colliding pair, so the test exercises the key comparison',
    );
    // Stored by the fast path (the slow path, taken on any suspected repeat, writes flow_records).
    const [d] = cliJson(
      db,
      'query',
      `SELECT (SELECT count(*) FROM reconciled_hs6_flows WHERE dataset_id = ${out[0].dataset_id}) AS fast,
        (SELECT unique_keys FROM datasets WHERE dataset_id = ${out[0].dataset_id}) AS unique_keys`,
    );
    assert.deepEqual(d, { fast: 200_000, unique_keys: true });
  });

  test('identical repeated rows are stored once and reported; --map-country maps an unknown code', async () => {
    const file = join(dir, 'BACI_HS17_Y2018_V202501.csv');
    writeFileSync(file, HEADER + '\n2018,156,999,851712,5,1\n2018,156,999,851712,5,1\n');
    const before = await snapshot();
    const strict = cli(db, 'import', 'baci', file, '--map-country', '999=VNM', '--strict');
    assert.notEqual(strict.status, 0);
    assert.match(
      strict.stderr,
      /BACI_HS17_Y2018_V202501\.csv.*line 3.*duplicated row: the same flow and value as line 2/,
    );
    assert.deepEqual(await snapshot(), before);
    const out = cliJson(db, 'import', 'baci', file, '--map-country', '999=VNM');
    assert.equal(out[0].rows, 1);
    assert.match(String(out[0].notes), /1 identical repeated rows stored once/);
  });

  test('a BACI country table beside the file maps BACI codes (also those the program already knows)', () => {
    const sub = join(dir, 'with-codes');
    mkdirSync(sub, { recursive: true });
    const file = join(sub, 'BACI_HS17_Y2019_V202501.csv');
    writeFileSync(file, HEADER + '\n2019,842,156,10121,2.5,1\n2019,490,842,851712,4,\n');
    writeFileSync(
      join(sub, 'country_codes_V202501.csv'),
      'country_code,country_name,country_iso2,country_iso3\n842,USA,US,USA\n156,China,CN,CHN\n490,Other Asia nes,,S19\n',
    );
    const out = cliJson(db, 'import', 'baci', file, '--map-country', '490=TWN');
    assert.match(String(out[0].notes), /country codes from country_codes_V202501\.csv/);
    const rows = cliJson(
      db,
      'query',
      `SELECT exporter, importer, product, value_usd FROM flows WHERE dataset_id = ${out[0].dataset_id} ORDER BY exporter`,
    );
    assert.deepEqual(rows, [
      { exporter: 'TWN', importer: 'USA', product: '851712', value_usd: 4000 },
      { exporter: 'USA', importer: 'CHN', product: '010121', value_usd: 2500 },
    ]);
  });

  test('a GBK-encoded CSV is read correctly (detected), never stored garbled', () => {
    const file = join(dir, 'dots_gbk.csv');
    const text =
      'source_file,reporter,partner,flow,year,value_usd_mn,estimated\nx,"China, P.R.: Mainland",美国,exports_fob,2019,418584.2,0\n';
    writeFileSync(file, iconv.encode(text, 'gbk'));
    const out = cliJson(db, 'import', 'dots', file, '--map-country', '美国=USA');
    assert.equal(out[0].rows, 1);
    assert.match(String(out[0].notes), /gb18030 \(detected\)/);
    const rows = cliJson(
      db,
      'query',
      `SELECT exporter, importer, value_usd FROM flows WHERE dataset_id = ${out[0].dataset_id}`,
    );
    assert.deepEqual(rows, [{ exporter: 'CHN', importer: 'USA', value_usd: 418584.2e6 }]);
  });

  test('Big5 and Shift-JIS CSVs are read as such (detected), never as GB18030', () => {
    for (const [enc, name, iso3] of [
      ['big5', '臺灣', 'TWN'],
      ['shift_jis', '日本国', 'JPN'],
    ]) {
      const file = join(dir, `dots_${enc}.csv`);
      const text = `source_file,reporter,partner,flow,year,value_usd_mn,estimated\nx,"China, P.R.: Mainland",${name},exports_fob,2019,1000.5,0\nx,"China, P.R.: Mainland",${name},exports_fob,2018,900,0\n`;
      writeFileSync(file, iconv.encode(text, enc));
      const out = cliJson(db, 'import', 'dots', file, '--map-country', `${name}=${iso3}`);
      assert.equal(out[0].rows, 2, enc);
      assert.match(String(out[0].notes), new RegExp(`${enc} \\(detected\\)`));
      const rows = cliJson(db, 'query', `SELECT DISTINCT importer FROM flows WHERE dataset_id = ${out[0].dataset_id}`);
      assert.deepEqual(rows, [{ importer: iso3 }], enc);
    }
  });

  test('SIGKILL in the middle of a large import leaves a usable store without the partial data', async () => {
    const before = await snapshot();
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'decouple.js'),
        '--db',
        db,
        'import',
        'dots',
        join(SHARED, 'imf-dots/dots_bilateral_2000_2020_long.csv.gz'),
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    // The next open recovers the store (removes the interrupted dataset); it must succeed.
    (await Store.open(db, { log: () => {} })).close();
    assert.deepEqual(await snapshot(), before);
  });

  test('query is read-only', () => {
    // flows is a view; the tables under it and the others refuse writes.
    for (const sql of ['DELETE FROM flow_records', 'DELETE FROM reconciled_hs6_flows', 'DROP TABLE datasets']) {
      const r = cli(db, 'query', sql);
      assert.notEqual(r.status, 0, sql);
      assert.match(r.stderr, /read-only/i, sql);
    }
  });
});
