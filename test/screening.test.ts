import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { NEEDS_SHARED, ROOT, SHARED, cli, cliJson, tempDir } from './helpers.js';

const F = join(ROOT, 'test', 'fixtures', 'screening');

describe('entity lists and Federal Register documents', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    const setup = cli(db, 'setup', '--from', SHARED);
    assert.equal(setup.status, 0, setup.stderr);
  });

  test('two screening-list snapshots (CSV and JSON) give entries, additions and removals by list and country', () => {
    const r = cli(db, 'import', 'screening-list', join(F, 'csl_2023-01-01.csv'), join(F, 'csl_2024-01-01.json'));
    assert.equal(r.status, 0, r.stderr);
    const china = cliJson(db, 'screening', '--country', 'CHN', '--list', 'EL');
    assert.deepEqual(
      china.map((x) => [x.snapshot, x.entries, x.added, x.removed]),
      [
        ['2023-01-01', 2, null, null],
        ['2024-01-01', 4, 2, 0],
      ],
    );
    const all = cliJson(db, 'screening', '--list', 'EL');
    assert.deepEqual(
      all.map((x) => [x.entries, x.added, x.removed]),
      [
        [3, null, null],
        [4, 2, 1],
      ],
    ); // the Russian entry left
    const hk = cliJson(db, 'screening', '--country', 'HKG');
    assert.equal(hk[0].entries, 1); // an entry with addresses in two economies counts in both
    const years = cliJson(db, 'screening', '--country', 'CHN', '--list', 'EL', '--by', 'year');
    assert.deepEqual(
      years.map((x) => [x.year, x.entries]),
      [
        [2019, 1],
        [2021, 1],
        [2023, 2],
      ],
    );
  });

  test('bad screening entries are named and nothing is stored', () => {
    const bad = join(dir, 'csl_2025-01-01.json');
    writeFileSync(
      bad,
      JSON.stringify({
        results: [
          {
            id: 'z',
            source: 'Entity List (EL) - Bureau of Industry and Security',
            name: 'X',
            addresses: [{ country: 'XX' }],
          },
        ],
      }),
    );
    let r = cli(db, 'import', 'screening-list', bad);
    assert.match(r.stderr, /csl_2025-01-01\.json, field 'addresses': entry 1 of 'results': unknown country code 'XX'/);
    const badCsv = join(dir, 'csl_2025-02-01.csv');
    writeFileSync(
      badCsv,
      '_id,source,name,addresses,start_date\nq,Entity List (EL) - Bureau of Industry and Security,Y,"1 Road, Beijing, CN",16/05/2019\n',
    );
    r = cli(db, 'import', 'screening-list', badCsv);
    assert.match(r.stderr, /csl_2025-02-01\.csv, line 2, field 'start_date': '16\/05\/2019' is not a date/);
    const noDate = join(dir, 'csl-latest.csv');
    writeFileSync(
      noDate,
      '_id,source,name,addresses\nq,Entity List (EL) - Bureau of Industry and Security,Y,"1 Road, Beijing, CN"\n',
    );
    assert.match(cli(db, 'import', 'screening-list', noDate).stderr, /--snapshot YYYY-MM-DD/);
    assert.equal(cliJson(db, 'query', `SELECT count(DISTINCT snapshot) AS n FROM screening_entries`)[0].n, 2);
  });

  test('Federal Register API pages are counted by month; overlapping pages keep each document once', () => {
    const empty = cli(db, 'federal-register');
    assert.notEqual(empty.status, 0);
    assert.match(
      empty.stderr,
      /no Federal Register documents are loaded: import API search pages with decouple import federal-register/,
    );
    let r = cli(db, 'import', 'federal-register', join(F, 'federal-register-entity-list.json'));
    assert.equal(r.status, 0, r.stderr);
    const page2 = join(dir, 'page2.json');
    writeFileSync(
      page2,
      JSON.stringify({
        results: [
          {
            document_number: '2099-00002',
            publication_date: '2023-10-25',
            title: 'Additions to the Entity List (repeat)',
            type: 'Rule',
          },
          {
            document_number: '2099-00004',
            publication_date: '2024-12-05',
            title: 'Entity List additions (test four)',
            type: 'Rule',
          },
        ],
      }),
    );
    r = cli(db, 'import', 'federal-register', page2);
    assert.match(r.stdout, /1 documents already in the store kept once/);
    const months = cliJson(db, 'federal-register', '--term', 'entity list');
    assert.deepEqual(
      months.map((m) => [m.month, m.documents]),
      [
        ['2022-12', 1],
        ['2023-10', 1],
        ['2024-12', 1],
      ],
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ results: [{ document_number: '2099-9', publication_date: '25 Oct 2023', title: 'T' }] }),
    );
    assert.match(
      cli(db, 'import', 'federal-register', bad).stderr,
      /bad\.json, field 'publication_date': result 1 \(2099-9\): '25 Oct 2023' is not a publication date/,
    );
  });
});
