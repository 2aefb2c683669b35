import { existsSync } from 'node:fs';
import { setting } from '../core/config.js';
import type { ReportModel } from './reportModel.js';
import { reportHtml } from './renderReport.js';

/** Where Chromium is looked for when DECOUPLE_CHROMIUM does not name it (Debian's and other common paths). */
const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Returns the Chromium executable for printing, or throws saying how to get one. */
export function chromiumPath(): string {
  const given = setting('DECOUPLE_CHROMIUM');
  if (given) {
    if (!existsSync(given)) throw new Error(`DECOUPLE_CHROMIUM names ${given}, which does not exist`);
    return given;
  }
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      'the PDF is printed by Chromium, which is not installed: install it (Debian: apt-get install chromium fonts-wqy-microhei) or name it with DECOUPLE_CHROMIUM',
    );
  return found;
}

/**
 * Returns the report as a PDF printed by Chromium from its HTML edition: A4,
 * charts as vectors (inline SVG), the title and page numbers ("page 3 of 12",
 * 第3页，共12页) in the margins.
 */
export async function reportPdf(m: ReportModel): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(await reportHtml(m), { waitUntil: 'load' });
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const foot =
      m.lang === 'zh'
        ? '第<span class="pageNumber"></span>页，共<span class="totalPages"></span>页'
        : 'page <span class="pageNumber"></span> of <span class="totalPages"></span>';
    const style = 'font-size:8px;width:100%;padding:0 12mm;color:#666;font-family:"WenQuanYi Micro Hei",sans-serif';
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style='${style}'>${esc(m.title)}</div>`,
      footerTemplate: `<div style='${style};text-align:right'>${foot}</div>`,
      margin: { top: '16mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
