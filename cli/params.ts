import { UsageError } from './exit-codes.ts';

/**
 * Turns repeated `--param k=v` flags into an overrides object. A value is parsed as JSON when it
 * parses (`lr=0.1` is a number, `layers=[32,16]` an array, `name=ada` a string), so shell users
 * rarely need quotes; a string that looks like JSON can be forced with quotes: `tag='"1"'`.
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
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new UsageError(`--param ${name} is given twice; give each DAG parameter once.`);
    }
    out[name] = parseValue(raw);
  }
  return out;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
