import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { NEEDS_SHARED, ROOT, SHARED, cli, cliJson, storeCounts as snapshot, tempDir, zipArchive } from './helpers.js';
import { excelJs } from '../src/util/lazyModules.js';
import { Store } from '../src/store/store.js';

const HEADER = 't,i,j,k,v,q';
const ROWS = [
  '2018,156,842,851712,1000.5,2.5',
  '2018,842,156,880240,200,1',
  '2018,156,842,950300,50,',
  '2018,392,156,870323,75,3',
];

describe('hostile inputs are refused, naming the file and the limit, and the store is unchanged', () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
  });

  const refused = (name: string, file: string, content: string | Buffer, args: string[], expected: RegExp) =>
    test(name, async () => {
      const path = join(dir, file);
      writeFileSync(path, content);
      const before = await snapshot(db);
      const r = cli(db, 'import', ...args, path);
      assert.notEqual(r.status, 0, r.stdout);
      assert.match(r.stderr, expected);
      assert.match(r.stderr, new RegExp(file.replace(/\./g, '\\.')), 'the error names the file');
      assert.deepEqual(await snapshot(db), before);
    });

  for (const depth of [2_000, 10_000, 100_000]) {
    refused(
      `JSON nested ${depth} deep (comtrade)`,
      `deep-${depth}.json`,
      '{"data":' + '['.repeat(depth) + ']'.repeat(depth) + '}',
      ['comtrade'],
      /nest more than 64 levels deep/,
    );
  }
  refused(
    'JSON nested deep inside a string-heavy record (census)',
    'deep-census.json',
    '[["a","b"],' + '['.repeat(5000) + ']'.repeat(5000) + ']',
    ['census'],
    /nest more than 64 levels deep/,
  );
  refused(
    'JSON nested deep (federal register)',
    'deep-fr.json',
    '{"results":' + '['.repeat(3000) + ']'.repeat(3000) + '}',
    ['federal-register'],
    /nest more than 64 levels deep/,
  );
  refused(
    'JSON nested deep (screening list)',
    'csl_2024-01-01.json',
    '{"results":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) + '}',
    ['screening-list'],
    /nest more than 64 levels deep/,
  );
  refused(
    'a Federal Register field that is an object, not text',
    'fr-object.json',
    JSON.stringify({
      results: [
        {
          document_number: '2020-00001',
          publication_date: '2020-01-02',
          title: 'Addition of entities',
          type: { name: 'Rule' },
        },
      ],
    }),
    ['federal-register'],
    /result 1 \(2020-00001\): type is an object, not text/,
  );

  // Across the importers: structure, values, codes, dates and compression, each refused with file, line and field.
  const CT =
    'source_file,ref_year,reporter_iso,partner_iso,flow_desc,classification_code,cmd_code,aggr_level,is_leaf,primary_value,cifvalue,fobvalue,qty,qty_unit_abbr,net_wgt';
  const ctRow = (flow: string, value: string) => `\nx.rds,2022,USA,CHN,${flow},H6,680422,6,TRUE,${value},1,1,1,kg,1\n`;
  refused(
    "Comtrade JSON whose 'data' is not a list of records",
    'ct-data-object.json',
    '{"data":{"a":1}}',
    ['comtrade'],
    /field 'data'.*'data' is not an array of records/,
  );
  refused(
    'Comtrade JSON cut off in the middle',
    'ct-cut.json',
    '{"data":[{"refYear":2020,',
    ['comtrade'],
    /not a readable JSON document/,
  );
  refused(
    'Comtrade JSON records without the required fields',
    'ct-fields.json',
    '{"data":[{"refYear":2020,"reporterCode":842}]}',
    ['comtrade'],
    /not a UN Comtrade table: no column partnerISO or partnerCode/,
  );
  refused(
    'Comtrade CSV with a negative value',
    'ct-negative.csv',
    CT + ctRow('Import', '-5'),
    ['comtrade'],
    /line 2, field 'primary_value': negative trade value -5/,
  );
  refused(
    'Comtrade CSV with text in the value',
    'ct-text.csv',
    CT + ctRow('Import', '12abc'),
    ['comtrade'],
    /line 2, field 'primary_value': '12abc' is not a number/,
  );
  refused(
    'Comtrade CSV with a flow Comtrade does not publish',
    'ct-flow.csv',
    CT + ctRow('Sideways', '5'),
    ['comtrade'],
    /line 2, field 'flow_desc': unknown trade flow 'Sideways'/,
  );
  refused(
    'a gzip file cut off',
    'ct-cut.csv.gz',
    gzipSync(CT + ctRow('Import', '5')).subarray(0, 60),
    ['comtrade'],
    /the gzip stream is truncated or damaged/,
  );
  const DOTS = 'source_file,reporter,partner,flow,year,value_usd_mn,estimated\n';
  refused(
    'DOTS with an economy nobody knows',
    'dots-atlantis.csv',
    DOTS + 'D.xlsx,"Atlantis",Australia,exports_fob,2000,0.1,0\n',
    ['dots'],
    /line 2, field 'reporter\/partner': unknown country code 'Atlantis'/,
  );
  refused(
    'DOTS with a negative value',
    'dots-negative.csv',
    DOTS + 'D.xlsx,"China, P.R.: Mainland",Australia,exports_fob,2000,-0.1,0\n',
    ['dots'],
    /line 2, field 'value_usd_mn': negative trade value/,
  );
  refused(
    'DOTS with a flow it does not have',
    'dots-flow.csv',
    DOTS + 'D.xlsx,"China, P.R.: Mainland",Australia,exports_sideways,2000,0.1,0\n',
    ['dots'],
    /line 2, field 'flow': unknown flow 'exports_sideways'/,
  );
  refused('a text file named .xlsx', 'not-a-workbook.xlsx', 'hello', ['dots'], /not an \.xlsx workbook/);
  const CENSUS = 'cty_code,cty_name,hs2,month,con_val_usd,cal_dut_usd\n';
  refused(
    'Census with month 13',
    'census-month.csv',
    CENSUS + '1220,CANADA,01,2013-13,140660473,14\n',
    ['census'],
    /line 2, field 'month': impossible month 13/,
  );
  refused(
    'Census with an infinite value',
    'census-infinite.csv',
    CENSUS + '1220,CANADA,01,2013-01,1e400,14\n',
    ['census'],
    /line 2, field 'value': the trade value is not a finite number/,
  );
  refused(
    'Census JSON that is not a table',
    'census-table.json',
    '[["a"]]',
    ['census'],
    /not a Census international trade table/,
  );
  const RATES = 'hs6,time_of_tariff,tariff,description\n';
  const rateArgs = ['tariffs', '--importer', 'USA', '--exporter', 'CHN', '--rate-kind', 'additional'];
  refused(
    'a tariff dated 30 February',
    'tariff-date.csv',
    RATES + '010121,2018-02-30,0.0,x\n',
    rateArgs,
    /line 2, field 'time_of_tariff': '2018-02-30' is not a date/,
  );
  refused(
    'a negative tariff rate',
    'tariff-negative.csv',
    RATES + '010121,2018-02-03,-5,x\n',
    rateArgs,
    /line 2, field 'tariff': '-5' is not a tariff rate/,
  );
  refused(
    'a tariff on a code that is not HS',
    'tariff-code.csv',
    RATES + '0101x1,2018-02-03,5,x\n',
    rateArgs,
    /line 2, field 'hs6': '0101x1' is not a 6-digit HS code/,
  );
  refused(
    'a tariff imposed by an economy nobody knows',
    'tariff-importer.csv',
    RATES + '010121,2018-02-03,5,x\n',
    ['tariffs', '--importer', 'XXX', '--exporter', 'CHN', '--rate-kind', 'additional'],
    /--importer XXX is not an economy the store knows/,
  );
  refused(
    'a Federal Register document dated 2020-13-45',
    'fr-date.json',
    JSON.stringify({
      results: [{ document_number: '2020-1', publication_date: '2020-13-45', title: 'x', type: 'Rule' }],
    }),
    ['federal-register'],
    /field 'publication_date'.*'2020-13-45' is not a publication date/,
  );
  refused(
    'a Federal Register document without its number',
    'fr-number.json',
    JSON.stringify({ results: [{ publication_date: '2020-01-02', title: 'x' }] }),
    ['federal-register'],
    /field 'document_number'.*document_number is missing/,
  );
  refused(
    'a screening-list entry without its list',
    'csl_2024-01-01.json',
    JSON.stringify({ results: [{ name: 'x' }] }),
    ['screening-list'],
    /field 'source'.*the list \(source\) is missing/,
  );
  refused(
    'a WITS Trade Summary without its header',
    'en_CHN_AllYears_WITS_Trade_Summary.CSV',
    'Country,Year\nChina,2019\n',
    ['wits-summary'],
    /line 1, field 'Reporter': not a WITS Trade Summary file/,
  );
  refused(
    'a WITS Trade Summary with text for a value',
    'en_USA_AllYears_WITS_Trade_Summary.CSV',
    'Reporter,Partner,Product categories,Indicator Type,Indicator,2019\nUnited States,World,All Products,Export,Exports (in US$ Mil),  lots\n',
    ['wits-summary'],
    /line 2, field '2019': 'lots' is not a trade value/,
  );
  refused(
    'a screening-list CSV without the source column',
    'csl_2024-01-02.csv',
    'a,b\n1,2\n',
    ['screening-list'],
    /line 1, field 'source': not a Consolidated Screening List CSV/,
  );

  test('a mapping file that is a YAML bomb, or does not say what it maps, is refused, naming the mapping', async () => {
    const data = join(dir, 'user.csv');
    writeFileSync(data, 'a,b\n1,2\n');
    const laughs = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`),
      `g: [${Array(9).fill('*f').join(',')}]`,
    ].join('\n');
    for (const [name, text, expected] of [
      ['bomb.yaml', laughs, /bomb\.yaml: not valid YAML \(Excessive alias count/],
      ['partial.yaml', 'kind: flows\ncolumns: {year: a}\n', /partial\.yaml, line 2: entry columns\.partner/],
    ] as const) {
      const map = join(dir, name);
      writeFileSync(map, text);
      const before = await snapshot(db);
      const r = cli(db, 'import', 'csv', '--map', map, data);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, expected);
      assert.deepEqual(await snapshot(db), before);
    }
  });

  test(
    "BACI codes missing from the installed HS list of the file's vintage are imported with a note that names them",
    { skip: NEEDS_SHARED },
    () => {
      const store = join(tempDir(), 'hs.duckdb');
      const setup = cli(store, 'setup', '--from', SHARED, '--pack', 'countries', 'hs');
      assert.equal(setup.status, 0, setup.stderr);
      const file = join(dir, 'BACI_HS22_Y2023_V202501.csv');
      // 851712 (mobile telephones) was split into 851713 and 851714 in HS 2022.
      writeFileSync(file, `${HEADER}\n2023,156,842,851712,5,1\n2023,156,842,851713,5,1\n`);
      const r = cli(store, '--format', 'json', 'import', 'baci', file);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /1 product code \(1 row\) is not in the installed HS2022 list: 851712/);
    },
  );

  test('a DOTS workbook without its "Exports, FOB" sheet is refused, naming the sheet', async () => {
    const Excel = await excelJs();
    const wb = new Excel.Workbook();
    const ws = wb.addWorksheet('Imports, CIF');
    ws.addRow(['Imports, CIF (US Dollars, Millions)']);
    ws.addRow([null, 'China, P.R.: Mainland']);
    ws.addRow([null, 'Partner', '2018', '2019']);
    ws.addRow([null, 'United States', '155', '123']);
    const path = join(dir, 'DOTS_one_sheet.xlsx');
    await wb.xlsx.writeFile(path);
    const before = await snapshot(db);
    const r = cli(db, 'import', 'dots', path);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DOTS_one_sheet\.xlsx.*no sheet 'Exports, FOB'/);
    assert.deepEqual(await snapshot(db), before);
  });

  test('the same rows in other bytes (gzipped, CRLF, reordered) are recognised and add nothing', async () => {
    const plain = join(dir, 'BACI_HS17_Y2018_V202501.csv');
    writeFileSync(plain, [HEADER, ...ROWS].join('\n') + '\n');
    const first = cliJson(db, 'import', 'baci', plain);
    assert.equal(first[0].status, 'imported');
    const before = await snapshot(db);
    const variants: Array<[string, Buffer | string]> = [
      ['BACI_HS17_Y2018_V202501.csv.gz', gzipSync([HEADER, ...ROWS].join('\n') + '\n')],
      ['crlf/BACI_HS17_Y2018_V202501.csv', [HEADER, ...ROWS].join('\r\n') + '\r\n'],
      ['reordered/BACI_HS17_Y2018_V202501.csv', [HEADER, ...[...ROWS].reverse()].join('\n') + '\n'],
    ];
    for (const [name, content] of variants) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      const out = cliJson(db, 'import', 'baci', path);
      assert.equal(out[0].status, 'already imported', name);
      assert.match(String(out[0].notes), new RegExp(`same rows as dataset ${first[0].dataset_id}`));
    }
    assert.deepEqual(await snapshot(db), before);
  });
});

describe('decouple query reads the store and nothing else', () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const secret = join(dir, 'secret.txt');
  before(() => {
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    writeFileSync(secret, 'not for queries\n');
  });
  const statements = [
    `COPY (SELECT 'x' AS a) TO '${db}' (HEADER false)`,
    `COPY datasets TO '${join(dir, 'out.csv')}'`,
    `EXPORT DATABASE '${join(dir, 'export')}'`,
    `SELECT * FROM read_text('${secret}')`,
    `SELECT * FROM read_csv('${secret}')`,
    `SELECT * FROM glob('${dir}/*')`,
    `SELECT * FROM '${secret}'`,
    `SET memory_limit = '1TB'`,
    `SELECT 1; SET lock_configuration = false`,
    `PRAGMA memory_limit = '1TB'`,
    `INSTALL httpfs`,
    `LOAD httpfs`,
    `ATTACH '${join(dir, 'other.duckdb')}' AS other`,
    `DELETE FROM flow_records`,
    `DROP TABLE datasets`,
    `CREATE TABLE main.t AS SELECT 1`,
    `UPDATE datasets SET notes = 'x'`,
    `CHECKPOINT`,
  ];
  for (const sql of statements) {
    test(`refused: ${sql.slice(0, 60)}`, async () => {
      const bytes = statSync(db).size;
      const before = await snapshot(db);
      const r = cli(db, 'query', sql);
      assert.notEqual(r.status, 0, `accepted: ${r.stdout}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stdout, /not for queries/);
      assert.equal(statSync(db).size, bytes);
      assert.deepEqual(await snapshot(db), before);
    });
  }
  test('a query longer than the time limit is stopped', () => {
    process.env.DECOUPLE_QUERY_TIMEOUT = '1';
    const r = cli(db, 'query', 'SELECT count(*) FROM range(1000000000000) x WHERE x.range % 7 = 3');
    delete process.env.DECOUPLE_QUERY_TIMEOUT;
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ran longer than 1 s and was stopped/);
  });
  test('a large result prints (no spread of large arrays)', () => {
    const r = cli(db, '--format', 'csv', 'query', 'SELECT range FROM range(300000)');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 300001);
  });
});

describe('an interrupted import is removed on the next open', () => {
  test('a dataset left loading, with its rows, is removed and the user told', async () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const before = await snapshot(db);
    // What a kill between the two steps of an import leaves: a loading dataset whose rows were committed.
    const instance = await DuckDBInstance.create(db);
    const con = await instance.connect();
    await con.run(
      `INSERT INTO datasets (dataset_id, source, kind, file_name, sha256, importer_version, status) VALUES (900, 'baci', 'flows', 'BACI_HS17_Y2019_V1.csv', '', 'test', 'loading')`,
    );
    await con.run(
      `INSERT INTO reconciled_hs6_flows VALUES (900, 2019, 'CHN', 'USA', 'HS2017', '851712', 5, 1), (900, 2019, 'USA', 'CHN', 'HS2017', '880240', 3, NULL)`,
    );
    con.closeSync();
    instance.closeSync();
    const r = cli(db, 'datasets');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /an interrupted import of BACI_HS17_Y2019_V1\.csv \(baci, dataset 900\) was removed/);
    assert.deepEqual(await snapshot(db), before);
  });

  test('a member imported from a zip is recorded as ARCHIVE!MEMBER, not as its temporary copy', async () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const content = Buffer.from([HEADER, ...ROWS.map((r) => r.replace(/^2018/, '2017'))].join('\n') + '\n');
    const zip = join(dir, 'release.zip');
    writeFileSync(zip, zipArchive('BACI_HS17_Y2017_V202501.csv', content));
    const out = cliJson(db, 'import', 'baci', zip);
    assert.equal(out[0].status, 'imported');
    const [row] = cliJson(
      db,
      'query',
      `SELECT file_name, file_path FROM datasets WHERE dataset_id = ${out[0].dataset_id}`,
    );
    assert.deepEqual(row, {
      file_name: 'BACI_HS17_Y2017_V202501.csv',
      file_path: `${zip}!BACI_HS17_Y2017_V202501.csv`,
    });
  });

  test('SIGTERM during an import of a zip: the store is unchanged or the dataset whole, and no temporary folder is left', async () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const before = await snapshot(db);
    const { spawn } = await import('node:child_process');
    const lines = [HEADER];
    for (let k = 0; k < 200_000; k++) lines.push(`2019,156,842,${String(100000 + k).slice(0, 6)},${(k % 97) + 1},1`);
    const content = Buffer.from([...new Set(lines)].join('\n') + '\n');
    const zip = join(dir, 'baci.zip');
    writeFileSync(zip, zipArchive('BACI_HS17_Y2019_V202501.csv', content));
    for (const delay of [50, 150, 300, 600]) {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, 'import', 'baci', zip], {
        env: { ...process.env, DECOUPLE_QUIET: '1' },
      });
      const status = await new Promise<number | null>((res) => {
        setTimeout(() => child.kill('SIGTERM'), delay);
        child.on('close', (code) => res(code));
      });
      // null: the signal came before the program had installed its handlers, so it ended before doing anything.
      const leftover = readdirSync(tmpdir()).filter((n) => n.startsWith(`decouple-${child.pid}-`));
      assert.deepEqual(leftover, [], `temporary folders of ${child.pid} left behind`);
      // As a user would find it: the next open runs the recovery first.
      (await Store.open(db, { log: () => {} })).close();
      const now = await snapshot(db);
      if (status === 143 || status === null) assert.deepEqual(now, before, 'stopped: the store is as before');
      else {
        assert.equal(status, 0);
        assert.equal(
          Number(now.flows) - Number(before.flows),
          content.toString().trim().split('\n').length - 1,
          'completed: the whole file',
        );
        break;
      }
    }
  });
});
