import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerCacheGc } from './cache-gc.ts';
import { registerCacheVerify } from './cache-verify.ts';

/** `mlcycle cache …`: maintenance of the content-addressed artifact store. */
export function registerCache(program: Command, ctx: CliContext): void {
  const cache = program.command('cache').description('check and clean the artifact cache');
  registerCacheVerify(cache, ctx);
  registerCacheGc(cache, ctx);
}
