/** The column types a text loader can produce. */
export type CellType = 'number' | 'string' | 'boolean' | 'date';

/** Cell texts read as missing (null) unless the `missing` param says otherwise. */
export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'n/a', 'null', 'NULL', 'NaN', 'nan'];

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
// '007' or '02134' are identifiers (zip codes, ids): reading them as numbers loses the zeros.
export const LEADING_ZERO = /^[-+]?0\d/;
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

/**
 * Whether a UTF-16 code unit is white space as String.prototype.trim sees it.
 * @example
 * isSpace(0x20); // true
 */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 160 && (c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * parseNumber on text[s, e) (already trimmed) without making a string: the same grammar, and the same
 * value as Number(). Up to 15 significant digits and a power of ten within 1e±22 the result is one
 * correctly rounded multiply or divide of exact doubles, hence equal to Number()'s; longer forms go
 * through Number().
 * @example
 * scanNumber('x=-1.5e3', 2, 8); // -1500
 */
export function scanNumber(text: string, s: number, e: number): number | undefined {
  let i = s;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (neg || c === 43) c = text.charCodeAt(++i);
  let mant = 0;
  let sig = 0;
  let intDigits = 0;
  while (i < e && c >= 48 && c <= 57) {
    if (sig || c !== 48) { mant = mant * 10 + (c - 48); sig++; }
    intDigits++;
    c = text.charCodeAt(++i);
  }
  let scale = 0;
  if (i < e && c === 46) {
    c = text.charCodeAt(++i);
    while (i < e && c >= 48 && c <= 57) {
      if (sig || c !== 48) { mant = mant * 10 + (c - 48); sig++; }
      scale++;
      c = text.charCodeAt(++i);
    }
  }
  if (intDigits === 0 && scale === 0) return undefined;
  let exp = 0;
  let expDigits = 0;
  if (i < e && (c === 101 || c === 69)) {
    c = text.charCodeAt(++i);
    const expNeg = c === 45;
    if (expNeg || c === 43) c = text.charCodeAt(++i);
    while (i < e && c >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      expDigits++;
      c = text.charCodeAt(++i);
    }
    if (expDigits === 0) return undefined;
    if (expNeg) exp = -exp;
  }
  if (i !== e) return undefined;
  const p = exp - scale;
  if (sig > 15 || expDigits > 4 || p > 22 || p < -22) return Number(text.slice(s, e));
  const v = p >= 0 ? mant * POW10[p] : mant / POW10[-p];
  return neg ? -v : v;
}
