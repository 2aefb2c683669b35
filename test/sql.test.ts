import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ident, join, list, parseHsCode, parseIso3, raw, sql, InvalidInputError } from '../src/core/index.js';
import { Store } from '../src/store/store.js';

// The SQL module's fragments, checked for the text they generate and run against DuckDB itself.
describe('sql: tagged templates bind values, escapes are explicit', () => {
  let store: Store;
  before(async () => {
    store = await Store.open(':memory:');
  });
  after(() => store.close());

  test('values become numbered parameters; nested fragments keep their own, renumbered', () => {
    const inner = sql`year BETWEEN ${2015} AND ${2020}`;
    const q = sql`SELECT * FROM flows WHERE importer = ${'USA'} AND ${inner} AND exporter = ${'CHN'}`;
    assert.deepEqual(q.compile(), {
      text: 'SELECT * FROM flows WHERE importer = $1 AND year BETWEEN $2 AND $3 AND exporter = $4',
      params: ['USA', 2015, 2020, 'CHN'],
    });
    assert.equal(
      q.toString(),
      "SELECT * FROM flows WHERE importer = 'USA' AND year BETWEEN 2015 AND 2020 AND exporter = 'CHN'",
    );
  });

  test('a quote in a value is data, not SQL: the injection attempts of issue 18 match nothing and run nothing', async () => {
    await store.run(`CREATE TABLE t (importer VARCHAR, v INTEGER)`);
    await store.run(`INSERT INTO t VALUES ('USA', 1), ('CHN', 2)`);
    for (const attempt of ["US'A", "USA' OR importer <> '", "USA'; DROP TABLE t; --"]) {
      const rows = await store.all(sql`SELECT v FROM t WHERE importer = ${attempt}`);
      assert.deepEqual(rows, [], attempt);
    }
    assert.deepEqual(await store.all(sql`SELECT v FROM t WHERE importer = ${'USA'}`), [{ v: 1 }]);
    assert.equal((await store.one(`SELECT count(*) AS n FROM t`))?.n, 2);
  });

  test('list() binds each member; an empty list matches nothing; join() keeps parameters in order', async () => {
    assert.deepEqual(
      await store.all(sql`SELECT v FROM t WHERE importer IN (${list(['CHN', "x' OR 1=1 --"])}) ORDER BY v`),
      [{ v: 2 }],
    );
    assert.deepEqual(await store.all(sql`SELECT v FROM t WHERE importer IN (${list([])})`), []);
    const where = join([sql`v >= ${1}`, sql`importer <> ${'CHN'}`], ' AND ');
    assert.equal(where.compile().text, 'v >= $1 AND importer <> $2');
    assert.deepEqual(await store.all(sql`SELECT importer FROM t WHERE ${where}`), [{ importer: 'USA' }]);
  });

  test('ident() quotes a checked name and refuses anything else; raw() is inlined unchanged', async () => {
    assert.equal(ident('value_usd').compile().text, '"value_usd"');
    assert.throws(() => ident('v"; DROP TABLE t; --'), /not a valid identifier/);
    assert.throws(() => ident(''), /not a valid identifier/);
    assert.deepEqual(await store.all(sql`SELECT ${ident('v')} AS x FROM ${ident('t')} ${raw('ORDER BY 1')}`), [
      { x: 1 },
      { x: 2 },
    ]);
  });

  test('numbers bind with their SQL types (integers as INTEGER/BIGINT, fractions as DOUBLE); undefined and NaN are refused', async () => {
    const r = await store.one(
      sql`SELECT typeof(${2020}) AS a, typeof(${2 ** 40}) AS b, typeof(${0.5}) AS c, make_date(${2020}, 12, 31)::VARCHAR AS d`,
    );
    assert.deepEqual(r, { a: 'INTEGER', b: 'BIGINT', c: 'DOUBLE', d: '2020-12-31' });
    assert.throws(() => sql`SELECT ${undefined as unknown as null}`, /undefined/);
    assert.throws(() => sql`SELECT ${NaN}`, /cannot bind/);
  });

  test('codes: only the parsers make an Iso3 or an HsCode; anything else is an InvalidInputError naming the field', () => {
    assert.equal(parseIso3(' usa ', '--importer'), 'USA');
    for (const bad of ["US'A", "USA' OR importer <> '", 'US', 'USAA', '840', '']) {
      assert.throws(
        () => parseIso3(bad, '--importer'),
        (e: unknown) => e instanceof InvalidInputError && /--importer takes a three-letter/.test((e as Error).message),
        bad,
      );
    }
    assert.equal(parseHsCode('8507.60', '--product'), '850760');
    assert.throws(() => parseHsCode("85' OR 1=1", '--product'), InvalidInputError);
  });
});
