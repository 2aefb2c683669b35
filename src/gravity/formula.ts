import { quoteIdent } from '../files/csvStage.js';

/**
 * Regression formulas in the notation of fixest and ppmlhdfe users:
 * `y ~ x1 + log(x2) | fe1 + fe2^fe3`. The part after `|` lists fixed-effect
 * sets; `a^b` is one set with a level for each combination of a and b.
 * Terms are column names or log(column) (natural logarithm; rows where the
 * argument is not positive are dropped, as R's log would give −Inf or NaN).
 */

/** A term of a formula: the label shown in tables and the DuckDB expression that computes it. */
export interface FormulaTerm {
  label: string;
  sql: string;
  columns: string[];
}

/** A parsed formula: outcome, regressors, fixed-effect sets (each a list of columns to interact). */
export interface GravityFormula {
  outcome: FormulaTerm;
  regressors: FormulaTerm[];
  fixedEffects: { label: string; columns: string[] }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function parseTerm(text: string, where: string): FormulaTerm {
  const t = text.trim();
  const call = /^(log|log1p|exp)\s*\(\s*([^()]+?)\s*\)$/.exec(t);
  if (call) {
    const [, fn, arg] = call;
    if (!NAME.test(arg)) throw new Error(`formula: '${arg}' in ${where} is not a column name`);
    const sql =
      fn === 'log'
        ? `CASE WHEN ${quoteIdent(arg)} > 0 THEN ln(${quoteIdent(arg)}) END`
        : fn === 'log1p'
          ? `CASE WHEN ${quoteIdent(arg)} > -1 THEN ln(1 + ${quoteIdent(arg)}) END`
          : `exp(${quoteIdent(arg)})`;
    return { label: `${fn}(${arg})`, sql, columns: [arg] };
  }
  if (!NAME.test(t)) throw new Error(`formula: '${t}' in ${where} is not a column name or log(column)`);
  return { label: t, sql: quoteIdent(t), columns: [t] };
}

/** Returns the parsed formula, or throws naming the part that could not be read. */
export function parseFormula(text: string): GravityFormula {
  const tilde = text.split('~');
  if (tilde.length !== 2)
    throw new Error(
      `formula: expected one '~' between the outcome and the regressors, as in "value ~ log(dist) | exporter^year + importer^year + pair"`,
    );
  const outcome = parseTerm(tilde[0], 'the outcome');
  const bar = tilde[1].split('|');
  if (bar.length > 2) throw new Error("formula: expected at most one '|' before the fixed effects");
  const rhs = bar[0].trim();
  const regressors =
    rhs === '' || rhs === '1' || rhs === '0' ? [] : rhs.split('+').map((t) => parseTerm(t, 'the regressors'));
  const fixedEffects = (bar[1] ?? '')
    .split('+')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const columns = t.split('^').map((c) => c.trim());
      for (const c of columns)
        if (!NAME.test(c)) throw new Error(`formula: '${c}' in the fixed effects is not a column name`);
      return { label: columns.join('^'), columns };
    });
  const labels = regressors.map((r) => r.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) throw new Error(`formula: the regressor ${dup} appears twice`);
  return { outcome, regressors, fixedEffects };
}
