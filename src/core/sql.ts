/**
 * SQL built in one place. A query is written as a tagged template,
 *
 *   sql`SELECT * FROM flows WHERE importer = ${importer} AND year = ${year}`
 *
 * and every interpolated value becomes a bound parameter ($1, $2, …), never
 * query text. Text that must be part of the statement goes through an explicit
 * escape: `ident(name)` for a checked, quoted identifier, `raw(text)` for
 * trusted SQL written in the code (never user input), a nested `sql` fragment,
 * or `list(values)` for an IN list of bound values. (The design follows the
 * tagged-template query builders of Mosaic's SQL package and node-postgres.)
 */

/** A value DuckDB can bind as a parameter. */
export type SqlValue = string | number | bigint | boolean | null;

/** A piece of SQL text with the parameters it binds, in order. */
export class Sql {
  /** @internal use `sql`, `raw`, `ident` or `list` to make one. */
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly SqlValue[],
  ) {}

  /** Returns the statement text with $1…$n placeholders and the parameters to bind. */
  compile(): { text: string; params: SqlValue[] } {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) text += `$${i + 1}${this.strings[i + 1]}`;
    return { text, params: [...this.values] };
  }

  /** Returns the statement with every parameter written as a literal (for logs and error messages only). */
  toString(): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) text += `${literal(this.values[i])}${this.strings[i + 1]}`;
    return text;
  }
}

/** Anything a template slot takes: a value (bound), a fragment (inlined with its parameters). */
export type SqlPart = SqlValue | Sql;

/** Returns a fragment from a template: values are bound as parameters, nested fragments inlined. */
export function sql(strings: TemplateStringsArray, ...parts: SqlPart[]): Sql {
  const outStrings: string[] = [strings[0]];
  const outValues: SqlValue[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part instanceof Sql) {
      outStrings[outStrings.length - 1] += part.strings[0];
      for (let j = 0; j < part.values.length; j++) {
        outValues.push(part.values[j]);
        outStrings.push(part.strings[j + 1]);
      }
      outStrings[outStrings.length - 1] += strings[i + 1];
    } else {
      if (part === undefined) throw new TypeError('sql: an interpolated value is undefined (use null for SQL NULL)');
      if (typeof part === 'number' && !Number.isFinite(part)) throw new TypeError(`sql: cannot bind ${part}`);
      outValues.push(part);
      outStrings.push(strings[i + 1]);
    }
  }
  return new Sql(outStrings, outValues);
}

/** Returns trusted SQL text as a fragment, unchanged. Only for text written in the code, never for input. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Returns an identifier (table, view or column name) as a quoted fragment; throws for anything but letters, digits
 * and _.
 */
export function ident(name: string): Sql {
  if (!IDENTIFIER.test(name)) throw new TypeError(`sql: '${name}' is not a valid identifier`);
  return raw(`"${name}"`);
}

/**
 * Returns the values as a comma-separated list of bound parameters, for `IN (${list(xs)})`; an empty list gives
 * NULL (matches nothing).
 */
export function list(values: readonly SqlValue[]): Sql {
  if (values.length === 0) return raw('NULL');
  return new Sql(['', ...values.slice(1).map(() => ', '), ''], values);
}

/** Returns the fragments joined by a separator (trusted text, default ', '). */
export function join(parts: readonly Sql[], separator = ', '): Sql {
  if (parts.length === 0) return raw('');
  const strings: string[] = [''];
  const values: SqlValue[] = [];
  parts.forEach((p, k) => {
    if (k > 0) strings[strings.length - 1] += separator;
    strings[strings.length - 1] += p.strings[0];
    for (let j = 0; j < p.values.length; j++) {
      values.push(p.values[j]);
      strings.push(p.strings[j + 1]);
    }
  });
  return new Sql(strings, values);
}

/**
 * Returns a value as a SQL literal; for display (toString) and for the few statements DuckDB cannot bind (SET,
 * PRAGMA).
 */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}
