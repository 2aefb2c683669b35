/**
 * The parts of a report's text a reader types or looks up as they are — file
 * names, `decouple` commands, command-line options, reference pack names and
 * the package the country names ship in —
 * which the HTML sets in <code> and the Markdown in backticks (and which a
 * Chinese page therefore may carry in Latin letters). web/app.js holds the
 * same pattern for the dashboard (a unit test keeps the two equal).
 */
export const CODE_PATTERN =
  /decouple(?: (?:--?[a-z][a-z0-9-]*|[a-z][a-z0-9-]*|[A-Z][A-Z0-9]{1,}|DIR|FILE|文件路径))+|--[a-z][a-z0-9-]*|[A-Za-z0-9_./+-]*[A-Za-z0-9_]\.(?:csv|CSV|xlsx|xls|gz|txt|TXT|zip|json|parquet|yaml|yml)\b|\b(?:census-atp-exports|census-atp|census-codes|hs-bec|hs-vintages|hs-sitc|hs-isic|i18n-iso-countries)\b/g;

/**
 * Returns a text cut into plain and code parts, in order (code parts as CODE_PATTERN finds them; two that touch,
 * such as a command and the file name that follows it, are one part).
 */
export function codeSpans(text: string): Array<{ text: string; code: boolean }> {
  const out: Array<{ text: string; code: boolean }> = [];
  let last = 0;
  for (const m of text.matchAll(CODE_PATTERN)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), code: false });
    else if (out.length && out[out.length - 1].code) {
      out[out.length - 1].text += m[0];
      last = m.index + m[0].length;
      continue;
    }
    out.push({ text: m[0], code: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), code: false });
  return out;
}
