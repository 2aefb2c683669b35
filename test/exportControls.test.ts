import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Store } from '../src/store/store.js';
import { exportControlStudy } from '../src/measures/exportControlStudy.js';
import { NEEDS_SHARED, ROOT, SHARED, cli, tempDir } from './helpers.js';

const MAPPING = join(ROOT, 'docs', 'mappings', 'china-critical-minerals-hs6.yaml');

/** Months from 2022-01 to 2024-06 as the file dates them (first day). */
function months(): string[] {
  const out: string[] = [];
  for (let t = 2022 * 12; t <= 2024 * 12 + 5; t++)
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`);
  return out;
}

/**
 * Synthetic monthly exports in the layout of deep_dive_hs6_monthly.csv.gz: from 2023-08 on, the gallium line
 * 811292 falls to a quarter to the USA and to a half to Japan and Korea; graphite (250410, 380110) keeps its level
 * until its own control in 2023-12. Month effects (a three-month cycle) are common to every line; every value is
 * in whole cents, as the store keeps them.
 */
function syntheticFile(): string {
  const rows = ['period_dt,partner_name,hs6,val,qty,uv'];
  const base: Record<string, number> = { USA: 400, Japan: 1000, 'South Korea': 800 };
  months().forEach((m, i) => {
    const season = 1 + 0.1 * (i % 3);
    for (const [partner, level] of Object.entries(base)) {
      for (const [hs, scale] of [
        ['811292', 1],
        ['250410', 3],
        ['380110', 5],
      ] as const) {
        let v = level * scale * season;
        if (hs === '811292' && m >= '2023-08-01') v *= partner === 'USA' ? 0.25 : 0.5;
        if (hs !== '811292' && m >= '2023-12-01') v *= 0.8;
        rows.push(`${m},${partner},${hs},${v},${v / 10},10`);
      }
    }
  });
  const file = join(tempDir(), 'deep_dive_hs6_monthly.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

describe('export controls: the controlled HS lines and what exports did after', () => {
  test('levels and both difference-in-differences estimates on synthetic monthly exports', async () => {
    const db = join(tempDir(), 'store.duckdb');
    const r = cli(db, 'import', 'csv', syntheticFile(), '--map', MAPPING);
    assert.equal(r.status, 0, r.stderr);
    const store = await Store.open(db, { log: () => {} });
    try {
      const s = await exportControlStudy(store, {
        measure: 'chn-gallium-germanium-controls',
        partner: 'USA',
        before: 12,
      });
      // The window stops before graphite's own control (2023-12-01) so that graphite stays the comparison.
      assert.equal(s.window.first, '2022-08-01');
      assert.equal(s.window.last, '2023-11-01');
      assert.deepEqual(s.window.lines, ['811292']);
      assert.deepEqual(s.window.controlLines, ['250410', '380110']);
      assert.equal(s.window.destinations, 3);
      // Levels by hand: mean monthly value to the USA over 2022-08..2023-07 and 2023-08..2023-11.
      const season = (m: string) => 1 + 0.1 * (months().indexOf(m) % 3);
      const mean = (ms: string[], f: (m: string) => number) => ms.reduce((a, m) => a + f(m), 0) / ms.length;
      const beforeMonths = months().filter((m) => m >= '2022-08-01' && m < '2023-08-01');
      const afterMonths = months().filter((m) => m >= '2023-08-01' && m <= '2023-11-01');
      const us = s.levels.find((l) => l.hs6 === '811292' && l.destination === 'USA')!;
      assert.ok(Math.abs(Number(us.before_usd) - mean(beforeMonths, (m) => 400 * season(m))) < 1e-6);
      assert.ok(Math.abs(Number(us.after_usd) - mean(afterMonths, (m) => 100 * season(m))) < 1e-6);
      const all = s.levels.find((l) => l.hs6 === '811292' && l.destination === 'ALL')!;
      assert.ok(Math.abs(Number(all.after_usd) - mean(afterMonths, (m) => (100 + 500 + 400) * season(m))) < 1e-6);
      // Destination design: the USA fell by a half more than the other destinations: b = ln 0.5.
      const dest = s.summary.find((x) => x.design === 'destination' && x.outcome === 'log_value')!;
      assert.ok(Math.abs(Number(dest.estimate) - Math.log(0.5)) < 1e-9, String(dest.estimate));
      assert.equal(dest.se, null);
      // Products design (balanced): the mean of the treated units' changes, (ln 0.25 + 2 ln 0.5) / 3.
      const prod = s.summary.find((x) => x.design === 'products' && x.outcome === 'log_value')!;
      assert.ok(Math.abs(Number(prod.estimate) - (Math.log(0.25) + 2 * Math.log(0.5)) / 3) < 1e-9);
      assert.ok(Number(prod.se) > 0 && Number(prod.ci95_low) < Number(prod.estimate));
      // By month: the partner's and all destinations' exports of the controlled line.
      const aug = s.byMonth.find((b) => b.month === '2023-08')!;
      assert.equal(aug.k, 0);
      assert.ok(Math.abs(Number(aug.partner_usd) - 100 * season('2023-08-01')) < 1e-6);
      // Graphite: no comparison line is left (gallium was controlled before), so only the destination design.
      const g = await exportControlStudy(store, { measure: 'chn-graphite-controls', partner: 'USA', before: 12 });
      assert.deepEqual(g.window.controlLines, []);
      assert.ok(g.summary.every((x) => x.design === 'destination'));
      assert.ok(g.notes.some((n) => /not estimated: no comparison line/.test(n)));
    } finally {
      store.close();
    }
    // Without data for a control's lines, the command names what to import and exits 1.
    const none = cli(db, 'event-study', '--measure', 'chn-antimony-controls');
    assert.equal(none.status, 1);
    assert.match(
      none.stderr,
      /no monthly data on CHN's exports of the lines of chn-antimony-controls \(261710, 811010\)/,
    );
  });

  test('gallium and germanium on the real monthly China export data', { skip: NEEDS_SHARED }, () => {
    const db = join(tempDir(), 'store.duckdb');
    const file = join(SHARED, 'china-exports-critical-minerals-comtrade', 'deep_dive_hs6_monthly.csv.gz');
    const imp = cli(db, 'import', 'csv', file, '--map', MAPPING);
    assert.equal(imp.status, 0, imp.stderr);
    const r = cli(db, '--format', 'json', 'event-study', '--measure', 'chn-gallium-germanium-controls', '--levels');
    assert.equal(r.status, 0, r.stderr);
    const levels = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    // Expected values: the file's 811292 rows summed by hand (zcat | awk) over 2022-08..2023-07 and 2023-08..2023-11.
    const us = levels.find((l) => l.destination === 'USA')!;
    assert.ok(Math.abs(Number(us.before_usd) - 398109.917) < 0.01, String(us.before_usd));
    assert.ok(Math.abs(Number(us.after_usd) - 317888.5) < 0.01, String(us.after_usd));
    assert.match(
      r.stderr,
      /2022-08 to 2023-11 .* 39 destinations; controlled lines: 811292; comparison lines .*: 250410, 380110/,
    );
  });
});
