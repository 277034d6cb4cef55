/** The column types a text loader can produce. */
export type CellType = 'number' | 'string' | 'boolean' | 'date';

/** Cell texts read as missing (null) unless the `missing` param says otherwise. */
export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'n/a', 'null', 'NULL', 'NaN', 'nan'];

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
// '007' or '02134' are identifiers (zip codes, ids): reading them as numbers loses the zeros.
const LEADING_ZERO = /^[-+]?0\d/;
const BOOLEAN = /^(?:true|false)$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads a number, or undefined when the text is not plainly one ('1,000', '0x1f', '1.2.3' are not).
 * @example
 * parseNumber('-1.5e3'); // -1500
 */
export function parseNumber(text: string): number | undefined {
  const s = text.trim();
  return NUMBER.test(s) ? Number(s) : undefined;
}

/**
 * Reads 'true' / 'false' (any case), or undefined.
 * @example
 * parseBoolean('TRUE'); // true
 */
export function parseBoolean(text: string): boolean | undefined {
  const s = text.trim();
  return BOOLEAN.test(s) ? s.toLowerCase() === 'true' : undefined;
}

/**
 * Reads an ISO 8601 date or date-time, or undefined. Only ISO forms count, so '01/02/2020'
 * (January or February?) stays text. Times without a zone are taken as UTC, so a file loads to
 * the same instants on every machine.
 * @example
 * parseIsoDate('2020-02-29'); // Date 2020-02-29T00:00:00.000Z
 * parseIsoDate('2021-02-29'); // undefined (no such day)
 */
export function parseIsoDate(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Text → value for each type; undefined means "not a value of this type". */
export const PARSERS: Record<CellType, (text: string) => unknown> = {
  number: parseNumber,
  boolean: parseBoolean,
  date: parseIsoDate,
  string: (text) => text,
};

/**
 * The narrowest type every non-missing text fits: boolean, then number, then ISO date, else string.
 * A column with no values at all is string.
 * @example
 * inferCellType(['1', null, '2.5']); // 'number'
 * inferCellType(['007', '12']);      // 'string' (leading zeros)
 */
export function inferCellType(texts: Array<string | null>): CellType {
  const present = texts.filter((t): t is string => t !== null);
  if (present.length === 0) return 'string';
  if (present.every((t) => parseBoolean(t) !== undefined)) return 'boolean';
  if (present.every((t) => parseNumber(t) !== undefined && !LEADING_ZERO.test(t.trim()))) return 'number';
  if (present.every((t) => parseIsoDate(t) !== undefined)) return 'date';
  return 'string';
}
