import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Store } from '../src/store/store.js';
import { ensureBuiltins } from '../src/measures/builtins.js';
import { dashboardServer } from '../src/serve/dashboardServer.js';
import { cli, HAS_SHARED, listenOnLoopback, setupFromShared, SHARED, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const NEEDS_CHROMIUM = existsSync(CHROMIUM)
  ? false
  : 'needs Debian chromium at /usr/bin/chromium (.ci/run installs it)';

/**
 * Latin words a Chinese page may carry: the abbreviations of datasets, classifications and measures that Chinese
 * analysts write as they are (the papers do too). File names, commands and official English descriptions are
 * marked up (code, lang="en") and not read.
 */
const ALLOWED_LATIN = new Set(
  (
    'IMF DOTS WITS BEA BACI CEPII UN HS HTS BEC SITC ISIC ATP FOB CIF GDP HHI RCA IEEPA PIIE USTR USITC OECD WTO ' +
    'BaTIS EBOPS TIC NCSES NSF IIE FRED WEO GTA BIS CSV PDF SVG PNG PPML OLS EU CHIPS NDAA OFAC FDPR ICT GA GE Ga Ge Rev Excel G-L TikTok SHA- Bown Conley Taber'
  ).split(' '),
);

/** A problem found on a page: what, and where (a short selector path or the text). */
interface Finding {
  kind: 'overflow' | 'chart' | 'latin' | 'console' | 'a11y';
  where: string;
}

/** The checks run inside the page; returns what fails. */
const AUDIT = `(({ zh, allowed }) => {
  const out = [];
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement)
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.classList.length ? '.' + [...e.classList].join('.') : ''));
    return parts.join(' > ');
  };
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1)
    out.push({ kind: 'overflow', where: 'the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width });
  // An element wider than the viewport, unless a scrolling container that fits holds it.
  const scrolls = (e) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let held = false;
    for (let a = el.parentElement; a; a = a.parentElement) if (scrolls(a) && a.getBoundingClientRect().right <= width + 1) { held = true; break; }
    if (!held && !scrolls(el)) out.push({ kind: 'overflow', where: path(el) + ' ends at ' + Math.round(r.right) + ' > ' + width });
  }
  // Charts: a title (in the chart or its caption); each direction with an axis has a titled one (small multiples
  // title the outer axes only). Vega labels every axis for screen readers: "X-axis titled '…' for …".
  for (const svg of document.querySelectorAll('svg.marks, figure svg')) {
    const fig = svg.closest('figure') ?? svg.closest('.chart, .card');
    const caption = fig?.querySelector('figcaption, h3, .chart-title')?.textContent?.trim();
    const own = svg.querySelector('.role-title-text')?.textContent?.trim();
    if (!caption && !own) out.push({ kind: 'chart', where: path(svg) + ': no title' });
    // The report's figures say their source under the title.
    if (fig?.matches('figure[id]') && !fig.querySelector('figcaption .source')?.textContent?.trim())
      out.push({ kind: 'chart', where: path(svg) + ': no source line (' + (caption ?? '') + ')' });
    const axes = [...svg.querySelectorAll('g.role-axis')].map((a) => ({
      dir: (a.getAttribute('aria-label') ?? '').slice(0, 1),
      titled: !!a.querySelector('.role-axis-title text')?.textContent?.trim(),
    }));
    // Grid-only axes carry no label (aria-hidden) and no title.
    for (const dir of new Set(axes.map((a) => a.dir).filter((d) => d === 'X' || d === 'Y')))
      if (!axes.some((a) => a.dir === dir && a.titled))
        out.push({ kind: 'chart', where: path(svg) + ': no ' + dir + ' axis title (' + (caption ?? own ?? '') + ')' });
  }
  // Keyboard and screen readers: every field has a label, every button and link a name, and each is reachable
  // (no negative tabindex on a control).
  for (const f of document.querySelectorAll('input, select, textarea')) {
    if (f.type === 'hidden') continue;
    if (!(f.labels?.length || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby')))
      out.push({ kind: 'a11y', where: path(f) + ': a field without a label' });
  }
  for (const b of document.querySelectorAll('button, a[href]')) {
    if (!(b.textContent.trim() || b.getAttribute('aria-label')))
      out.push({ kind: 'a11y', where: path(b) + ': a control without a name' });
    if (Number(b.getAttribute('tabindex')) < 0) out.push({ kind: 'a11y', where: path(b) + ': not reachable by keyboard' });
  }
  if (zh) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const skip = (n) => { for (let e = n.parentElement; e; e = e.parentElement) { const t = e.tagName.toLowerCase(); if (t === 'code' || t === 'script' || t === 'style' || t === 'pre' || (e.getAttribute('lang') ?? '').startsWith('en')) return true; if (e.hidden || getComputedStyle(e).display === 'none') return true; } return false; };
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (skip(n)) continue;
      // Addresses, and an acronym glossing a Chinese name in full-width brackets (《…》（FIRRMA）), are not prose.
      // Authors cited as the papers cite them, names kept in their own script (Simonovska 和 Waugh（2014）), neither.
      const text = n.textContent
        .replace(/https?:\\/\\/\\S+/g, '')
        .replace(/（[A-Z][A-Z0-9-]+）/g, '')
        .replace(/[A-Z][a-z]+(?: (?:和|与) [A-Z][a-z]+)*(?:等)?（\\d{4}）/g, '');
      for (const w of text.match(/[A-Za-z][A-Za-z'-]+/g) ?? []) {
        if (allowed.includes(w) || seen.has(w)) continue;
        seen.add(w);
        out.push({ kind: 'latin', where: '"' + w + '" in ' + path(n.parentElement) + ': ' + text.trim().slice(0, 120) });
      }
    }
  }
  return out;
})`;

async function audit(page: Page, zh: boolean): Promise<Finding[]> {
  return (await page.evaluate(`${AUDIT}(${JSON.stringify({ zh, allowed: [...ALLOWED_LATIN] })})`)) as Finding[];
}

function summary(findings: Finding[]): string {
  return findings
    .slice(0, 40)
    .map((f) => `${f.kind}: ${f.where}`)
    .join('\n');
}

describe(
  'every page and report section, in both languages, in Chromium (layout, charts, language, labels)',
  { skip: NEEDS_CHROMIUM },
  () => {
    const db = join(tempDir(), 'store.duckdb');
    const out = tempDir();
    let store: Store;
    let server: Server;
    let base = '';
    let browser: Browser;

    before(async () => {
      // The embedded data; with ../shared beside, DOTS, BEA and US product data as well (tables of every kind).
      // DECOUPLE_AUDIT_STORE names a store to audit instead (a copy is used), e.g. one with all of ../shared/data.
      const given = process.env.DECOUPLE_AUDIT_STORE;
      if (given) copyFileSync(given, db);
      else if (HAS_SHARED) {
        setupFromShared(db);
        for (const args of [
          ['dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx')],
          ['bea', join(SHARED, 'bea', 'us_trading_per_country.xlsx')],
          ['census', join(SHARED, 'census-hs10-2024', 'census_us_imports_hs10_by_country_2024.csv.gz')],
        ]) {
          const r = cli(db, 'import', ...args);
          assert.equal(r.status, 0, r.stderr);
        }
      }
      for (const lang of ['zh', 'en']) {
        const r = cli(db, 'report', '--lang', lang, '--out', out, '--formats', 'html');
        assert.equal(r.status, 0, r.stderr);
      }
      store = await Store.open(db);
      await ensureBuiltins(store);
      server = dashboardServer(store);
      base = await listenOnLoopback(server);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
    });

    after(async () => {
      await browser?.close();
      server?.close();
      store?.close();
    });

    for (const width of [1280, 390]) {
      for (const lang of ['zh', 'en'] as const) {
        test(`the report (HTML, ${lang}) at ${width} px: no overflow, charts titled, ${lang === 'zh' ? 'no English words, ' : ''}no console error`, async () => {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const errors: string[] = [];
          page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(`file://${join(out, `report-CHN-USA-${lang}.html`)}`);
          const sections = await page.locator('section').count();
          assert.ok(sections >= 5, `${sections} sections`);
          const findings = [
            ...(await audit(page, lang === 'zh')),
            ...errors.map((e) => ({ kind: 'console' as const, where: e })),
          ];
          await page.close();
          assert.deepEqual(findings, [], summary(findings));
        });

        test(`the dashboard (${lang}) at ${width} px: every page, no overflow, charts titled, ${lang === 'zh' ? 'no English words, ' : ''}no console error`, async () => {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const errors: string[] = [];
          page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          page.on('pageerror', (e) => errors.push(String(e)));
          const findings: Finding[] = [];
          await page.goto(`${base}/`);
          await page.waitForSelector('main[data-ready="true"]', { timeout: 60_000 });
          if (lang === 'en') await page.click('#lang');
          for (const p of ['overview', 'report', 'indicators', 'measures', 'risk', 'data']) {
            await page.goto(`${base}/#/${p}`);
            await page.waitForSelector(`main[data-ready="true"][data-page="${p}"]`, { timeout: 60_000 });
            // Charts are drawn after the data arrive.
            await page.waitForTimeout(300);
            for (const f of await audit(page, lang === 'zh'))
              findings.push({ kind: f.kind, where: `${p}: ${f.where}` });
          }
          findings.push(...errors.map((e) => ({ kind: 'console' as const, where: e })));
          await page.close();
          assert.deepEqual(findings, [], summary(findings));
        });
      }
    }
  },
);
