import type ExcelJSModule from 'exceljs';

/**
 * Heavy libraries loaded on first use, so that commands which never write a
 * workbook or draw a chart start without them (each costs about 0.3 s).
 */

/** Returns the ExcelJS library (loaded once, on first call). */
export async function excelJs(): Promise<typeof ExcelJSModule> {
  return (await import('exceljs')).default;
}

/** Returns the Vega runtime and the Vega-Lite compiler (loaded once, on first call). */
export async function vegaLibraries(): Promise<{
  vega: typeof import('vega');
  compile: (typeof import('vega-lite'))['compile'];
}> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, compile: vegaLite.compile };
}
