import { UsageError } from './exit-codes.ts';

/**
 * Turns repeated `--param k=v` flags into an overrides object. A value is parsed as JSON when it
 * parses (`lr=0.1` is a number, `layers=[32,16]` an array, `name=ada` a string), so shell users
 * rarely need quotes; a string that looks like JSON can be forced with quotes: `tag='"1"'`.
 * Every name becomes an own key, `__proto__` and `constructor` included, so the DAG refuses them as
 * unknown params instead of the object silently swallowing them. Numbers JSON would change are
 * refused here, naming the param: `1e400` (Infinity) and integers beyond ±2^53 (rounded).
 * @example
 * parseParamFlags(['maxIter=100', 'hiddenLayers=[16,8]']); // { maxIter: 100, hiddenLayers: [16, 8] }
 * parseParamFlags(['maxIter=1e400']); // throws UsageError: --param maxIter=1e400: 1e400 is not a finite number …
 */
export function parseParamFlags(flags: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(
        `--param '${flag}' is malformed: write it as name=value (e.g. --param lr=0.1 or --param name=ada); ` +
          'the value is read as JSON when it parses, else as a string.',
      );
    }
    const name = flag.slice(0, eq).trim();
    const raw = flag.slice(eq + 1);
    if (Object.hasOwn(out, name)) {
      throw new UsageError(`--param ${name} is given twice; give each DAG parameter once.`);
    }
    // Assignment would run the __proto__ setter and drop the param without a word.
    Object.defineProperty(out, name, { value: parseValue(name, raw), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function parseValue(name: string, raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  for (const literal of numberLiterals(raw)) checkLiteral(name, raw, literal);
  return value;
}

/**
 * JSON.parse turns `1e400` into Infinity and `9007199254740993` into …992 without a word, and the
 * parsed value can no longer tell: so the literals are checked as the user wrote them.
 */
function checkLiteral(name: string, raw: string, literal: string): void {
  const value = Number(literal);
  if (!Number.isFinite(value)) {
    throw new UsageError(`--param ${name}=${raw}: ${literal} is not a finite number (a double reaches about 1.8e308); give a finite value.`);
  }
  if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value)) {
    throw new UsageError(
      `--param ${name}=${raw}: ${literal} is not exactly representable; integers must be within ±2^53 (±${Number.MAX_SAFE_INTEGER}).`,
    );
  }
}

/** The number literals of a JSON text, outside its strings (the text is valid JSON). */
function numberLiterals(json: string): string[] {
  const out: string[] = [];
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let i = 0; i < json.length; ) {
    const c = json[i]!;
    if (c === '"') {
      // Skip the string, escapes included; valid JSON guarantees its closing quote.
      i++;
      while (json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      number.lastIndex = i;
      const m = number.exec(json)!;
      out.push(m[0]);
      i += m[0].length;
    } else {
      i++;
    }
  }
  return out;
}

/** Commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
