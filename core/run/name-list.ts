/**
 * 1234 → `1,234`. Fixed to en-US so logs and tests read the same on every machine.
 * @example
 * thousands(5000) // '5,000'
 */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `a, b, c … and 17 more`: names up to `limit`, then how many were left out (every name without a limit).
 * @example
 * nameList(['a', 'b', 'c'], 2) // 'a, b … and 1 more'
 */
export function nameList(names: readonly string[], limit = Infinity): string {
  const shown = names.slice(0, Math.max(0, limit)).join(', ');
  return names.length > limit ? `${shown} … and ${thousands(names.length - limit)} more` : shown;
}
