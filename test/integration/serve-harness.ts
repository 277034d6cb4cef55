/**
 * Starts `mlcycle serve … --port 0` as a user does and reads its URL from stderr; every server
 * started here is killed by stopAll() (afterAll), so no test leaves a process behind.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, spawnCli, type CliResult } from './cli-harness.ts';

export interface Served {
  child: ChildProcess & { result: Promise<CliResult> };
  url: string;
  stderr: () => string;
}

const started: Served['child'][] = [];

/** Starts serve; resolves once it prints "serving … at URL" (rejects with its stderr if it exits first). */
export function startServe(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<Served> {
  const child = spawnCli(args, { cwd: options.cwd, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined, MLCYCLE_SERVE_TOKEN: undefined, ...options.env } });
  started.push(child);
  let seen = '';
  return new Promise((resolvePromise, reject) => {
    child.stderr!.on('data', (d: Buffer | string) => {
      seen += String(d);
      const m = / at (http:\/\/\S+)\n/.exec(seen);
      if (m) resolvePromise({ child, url: m[1]!, stderr: () => seen });
    });
    void child.result.then((r) => reject(new Error(`serve exited (${r.code}) before listening:\n${r.stderr}`)));
  });
}

/** Kills every server still running. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.map(async (child) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.result.catch(() => undefined);
  }));
}

/** Every `every`-th complete penguin row (all three species), without the target, from vega-datasets. */
export function penguinRows(every: number): Array<Record<string, unknown>> {
  const all = JSON.parse(readFileSync(join(repoRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Array<Record<string, unknown>>;
  return all.filter((r) => Object.values(r).every((v) => v !== null && v !== '.'))
    .filter((_, i) => i % every === 0)
    .map(({ Species: _s, ...rest }) => rest);
}

/** POSTs JSON (or text with a content type) and returns status, headers and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const text = typeof body === 'string';
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': text ? 'text/csv' : 'application/json', ...headers },
    body: text ? body : JSON.stringify(body),
  });
  const raw = await response.text();
  let parsed: unknown = raw;
  try { parsed = JSON.parse(raw); } catch { /* not JSON: kept as text */ }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A metric's value from Prometheus text, by name and label subset; 0 when absent. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
