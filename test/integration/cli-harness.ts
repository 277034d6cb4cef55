/**
 * Runs the CLI as a user does: `node cli/bin.mjs …` in a child process, with its own workspace.
 * Shared by the cli-*.test.ts suites.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const bin = join(repoRoot, 'cli', 'bin.mjs');
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'dags', name);

/** A fresh temp folder; the workspace inside it (`home`) is NOT created, so tests can assert it never was. */
export function tempDir(prefix = 'mlcycle-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function newHome(): string {
  return join(tempDir(), 'home');
}

/** True when the run store exists: what "nothing written" tests assert against. */
export function storeExists(home: string): boolean {
  return existsSync(join(home, 'mlcycle.db'));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Starts the CLI; the caller owns the child (for signal tests). */
export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    // NO_COLOR and no TTY: plain, greppable output. CI unset so behaviour matches a user's pipe.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: undefined, MLCYCLE_HOME: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).result;
}

/** Resolves once the child's stderr contains `text` (or rejects after `timeoutMs`). */
export function waitForStderr(child: ChildProcess, text: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for '${text}' on stderr; got:\n${seen}`)), timeoutMs);
    child.stderr!.on('data', (d: Buffer | string) => {
      seen += String(d);
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
  });
}

/** Parses stdout, asserting it holds exactly one JSON value and nothing else. */
export function parseJsonStdout(result: CliResult): any {
  return JSON.parse(result.stdout);
}
