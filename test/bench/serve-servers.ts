/**
 * Servers for the serving benchmark, each in its own process so the load generator (this process)
 * and the server never share an event loop: `mlcycle serve` as a user starts it, and the floor, a
 * bare fastify route that parses the same JSON body and answers a constant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The floor: fastify 5 with its JSON parser and one POST route returning a constant. */
const FLOOR = `
import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.post('/invocations', async () => ({ predictions: ['Adelie'] }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write('serving floor at ' + url + '\\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

/**
 * Starts the bare fastify route (the floor) in a child process.
 * @example
 * const floor = await startFloor(); await floor.stop();
 */
export function startFloor(): Promise<RunningServer> {
  return started(spawn(process.execPath, ['--input-type=module', '-e', FLOOR], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] }));
}

/**
 * Starts `mlcycle serve <model> --port 0 --no-log` in a child process and waits for its "at http://…" line.
 * @example
 * const server = await startMlcycle('/tmp/b/forest', home); await server.stop();
 */
export function startMlcycle(model: string, home: string, extra: string[] = []): Promise<RunningServer> {
  const args = ['cli/bin.mjs', '--home', home, 'serve', model, '--port', '0', '--no-log', ...extra];
  return started(spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] }));
}

function started(child: ChildProcess): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => fail(new Error(`server did not start in 120 s:\n${err}`)), 120_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${err}`)));
    let up = false;
    child.stderr!.on('data', (b: Buffer) => {
      // Read to the end (a full pipe would block the server), but act on the first "at http://…" only:
      // acting again would drop the exit listener stop() adds.
      if (up) return;
      err += b.toString();
      const m = /at (http:\/\/[^\s]+)/.exec(err);
      if (!m) return;
      up = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: m[1]!.replace(/\/$/, ''), stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
