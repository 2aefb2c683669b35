import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NEEDS_SHARED, SHARED, cli, cliJson, storeCounts, tempDir } from './helpers.js';

const HEADER =
  'publication_date,fr_document_number,title,abstract,federalregister_url,bis_or_commerce_in_abstract,parsed_entities_added_total,parsed_entities_added_china,china_parse_rule';

describe('entities added by Federal Register documents, and the registry checked against them', () => {
  test('a table of documents with counts: sums by year, the registry check, and bad counts refused', async () => {
    const db = join(tempDir(), 'store.duckdb');
    const file = join(tempDir(), 'fr-documents.csv');
    writeFileSync(
      file,
      [
        HEADER,
        // The YMTC rule of December 2022, as the registry dates it (announced 2022-12-15, 36 entities).
        '2022-12-19,2022-27151,Additions and Revisions to the Entity List,"BIS adds 36 entities, under China.",https://example.org/a,yes,36,36,all additions under China per abstract',
        '2022-12-08,2022-26622,Additions of Entities to the Entity List,"Adds 24 entities.",https://example.org/b,yes,24,,',
        '2023-01-10,2023-00001,Temporary General License,"No additions.",https://example.org/c,yes,,,',
      ].join('\n') + '\n',
    );
    const imp = cli(db, 'import', 'federal-register', file);
    assert.equal(imp.status, 0, imp.stderr);
    const byYear = cliJson(db, 'federal-register', '--entities', '--by', 'year');
    assert.deepEqual(
      byYear.map((r) => [r.year, r.documents, r.documents_counted, r.entities_added, r.entities_added_chn]),
      [['2022', 2, 2, 60, 36]],
    );
    const check = cliJson(db, 'federal-register', '--check-registry');
    const ymtc = check.find((r) => r.measure_id === 'us-entity-ymtc-2022')!;
    assert.equal(ymtc.check, 'same count');
    assert.equal(ymtc.documents, '2022-27151 (2022-12-19)');
    assert.equal(check.find((r) => r.measure_id === 'us-entity-huawei-2019')?.check, "outside the documents' dates");
    // A count that is not a whole number names the file, line and field, and nothing is stored.
    const before = await storeCounts(db);
    const bad = join(tempDir(), 'fr-bad.csv');
    writeFileSync(bad, [HEADER, '2023-02-01,2023-02130,Additions to the Entity List,"x",u,yes,7a,,'].join('\n') + '\n');
    const r = cli(db, 'import', 'federal-register', bad);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /fr-bad\.csv, line 2, field 'parsed_entities_added_total': document 2023-02130: '7a' is not a count/,
    );
    assert.deepEqual(await storeCounts(db), before);
  });

  test('the shipped file of Entity List documents, 2020–2025', { skip: NEEDS_SHARED }, () => {
    const db = join(tempDir(), 'store.duckdb');
    const file = join(
      SHARED,
      'federal-register-entity-list-documents',
      'federal_register_entity_list_documents_2020_2025.csv',
    );
    const imp = cli(db, 'import', 'federal-register', file);
    assert.equal(imp.status, 0, imp.stderr);
    // Expected sums: the file's parsed counts added up by year by hand (python csv over the same file).
    const byYear = cliJson(db, 'federal-register', '--entities', '--by', 'year');
    assert.deepEqual(
      byYear.map((r) => [r.year, r.entities_added, r.entities_added_chn ?? null]),
      [
        ['2020', 24, null],
        ['2021', 26, 8],
        ['2022', 449, 43],
        ['2023', 442, 138],
        ['2024', 143, 52],
        ['2025', 183, 131],
      ],
    );
    const check = cliJson(db, 'federal-register', '--check-registry');
    const same = check.filter((r) => r.check === 'same count').map((r) => r.measure_id);
    assert.deepEqual(same, [
      'us-entity-supercomputing-2021',
      'us-entity-ymtc-2022',
      'us-advanced-computing-update-2023',
    ]);
    assert.ok(!check.some((r) => r.check === 'differs'));
  });
});
