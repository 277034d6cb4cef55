import { InvalidArgumentError, type Command } from 'commander';
import { resolveHome } from './home.ts';
import type { CliContext } from './context.ts';

/** The workspace folder for this command, from the global `--home` (see home.ts). */
export function homeOf(command: Command, ctx: CliContext): string {
  return resolveHome(command.optsWithGlobals() as { home?: string }, ctx);
}

/** Commander parser for a positive integer option such as `--concurrency`. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, got '${value}'.`);
  return n;
}

/** Commander parser for any integer option such as `--seed`. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number, got '${value}'.`);
  return n;
}

/** Writes one JSON document on stdout: the only thing `--json` puts there. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
