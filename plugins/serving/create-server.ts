/**
 * The model server `mlcycle serve` runs, as a module an application can embed: MLflow's
 * `POST /invocations`, KServe's Open Inference Protocol V2, Prometheus `/metrics`, an OpenAPI
 * document at `/docs`, a bound on queued predictions, an optional bearer token, a sampled prediction
 * log and hot swap of registry aliases. Every route predicts through one strict path (the row schema,
 * then the bundle's own input contract).
 */
import { join } from 'node:path';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/index.ts';
import { watchAliases } from './_alias-watch.ts';
import { addAuth, addErrorHandling, admission } from './_hooks.ts';
import { isLoopbackHost as isLoopback } from './loopback.ts';
import { ServerMetrics } from './_metrics.ts';
import { ModelSlot } from './_model-slot.ts';
import { openApiDocument } from './_openapi.ts';
import type { ServeState } from './_predict.ts';
import { addRoutes } from './_routes.ts';
import type { LoadModelOptions, LoadedModel } from './load-model.ts';
import { PredictionLog } from './prediction-log.ts';

/** Options of {@link createModelServer}; every field has a safe default. */
export interface ModelServerOptions {
  /** Largest request body in bytes (default 8 MiB): larger is 413. */
  bodyLimitBytes?: number;
  /** Prediction requests in flight or queued beyond this are 503 with Retry-After at once (default 64). */
  maxQueue?: number;
  /** Accept (and ignore) fields that are not features instead of 400 (default false). */
  allowExtraFields?: boolean;
  /** When set, every route but /v2/health/* needs `Authorization: Bearer <token>`; required off loopback. */
  token?: string;
  /** @fastify/under-pressure bounds: event-loop delay (default 1000 ms) and heap (default none), then 503. */
  maxEventLoopDelayMs?: number;
  maxHeapUsedBytes?: number;
  /** Retry-After on 503s, seconds (default 1). */
  retryAfterSeconds?: number;
  /** The prediction log; omitted or false: none. `dir(name)` is each model's folder. */
  log?: false | { dir: (model: string) => string; sample: number; maxBytes?: number };
  /** Watch `models:/name@alias` references in this workspace and swap when they move. */
  watch?: { home: string; intervalMs: number; load?: Omit<LoadModelOptions, 'home'> };
  /** Where the server says what it does (switches, failed swaps, internal errors); default stderr. */
  say?: (message: string) => void;
  /** Reported as the OpenAPI document's version. */
  version?: string;
}

/** A created server: the fastify instance (add routes before listen), listen and close. */
export interface ModelServer {
  app: FastifyInstance;
  /** Starts listening; resolves to the base URL (port 0 picks a free port). Off loopback a token is required. */
  listen(options?: { host?: string; port?: number }): Promise<string>;
  /** Stops accepting, lets requests in flight finish, stops the watcher, flushes the prediction logs. */
  close(): Promise<void>;
}

/**
 * A model server over loaded models (each model's name must be unique: it is its route).
 * @example
 * import { loadModel, createModelServer } from 'mlcycle';
 * const server = createModelServer([await loadModel('models:/penguins@champion')], { watch: { home: '.mlcycle', intervalMs: 1000 } });
 * const url = await server.listen({ port: 8080 }); // http://127.0.0.1:8080
 * // POST url + '/invocations' {"dataframe_records": [{ "Island": "Biscoe", … }]} → {"predictions": ["Adelie"], …}
 * await server.close();
 */
export function createModelServer(models: LoadedModel[], options: ModelServerOptions = {}): ModelServer {
  const say = options.say ?? ((m: string) => process.stderr.write(`${m}\n`));
  const slots = new Map<string, ModelSlot>();
  for (const model of models) {
    if (slots.has(model.name)) throw new ValidationError(`createModelServer: two models are named '${model.name}'; serve one version of each model`);
    slots.set(model.name, new ModelSlot(model.name, model.uri, model, options.allowExtraFields === true));
  }
  if (!slots.size) throw new ValidationError('createModelServer: no model to serve');
  const metrics = new ServerMetrics();
  for (const slot of slots.values()) metrics.serving(slot.name, slot.current.model.version, slot.uri);
  const logs = new Map<string, PredictionLog>();
  if (options.log) {
    for (const name of slots.keys()) {
      logs.set(name, new PredictionLog({ dir: options.log.dir(name), sample: options.log.sample, ...(options.log.maxBytes === undefined ? {} : { maxBytes: options.log.maxBytes }), onError: (err) => say(`prediction log for ${name}: ${err.message} (logging continues; requests are unaffected)`) }));
    }
  }
  const state: ServeState = { slots, metrics, logs, modelOf: new WeakMap() };
  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 8 * 1024 * 1024, logger: false, return503OnClosing: true });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  if (options.token !== undefined) addAuth(app, options.token);
  void app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs ?? 1000,
    ...(options.maxHeapUsedBytes === undefined ? {} : { maxHeapUsedBytes: options.maxHeapUsedBytes }),
    retryAfter: options.retryAfterSeconds ?? 1,
  });
  addErrorHandling(app, say);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.request(route, reply.statusCode, state.modelOf.get(request) ?? '', reply.elapsedTime / 1000);
  });
  const predictRoute = admission(state, options.maxQueue ?? 64, options.retryAfterSeconds ?? 1);
  let listening = false;
  addRoutes(app, state, predictRoute, () => listening);
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).send(body);
  });
  const docs = async () => openApiDocument([...slots.values()], options.version ?? '0');
  app.get('/docs', docs);
  app.get('/docs/openapi.json', docs);

  let stopWatch: () => Promise<void> = async () => undefined;
  if (options.watch) {
    stopWatch = watchAliases([...slots.values()], {
      home: options.watch.home, intervalMs: options.watch.intervalMs, load: options.watch.load ?? {}, say,
      switched: (slot) => metrics.serving(slot.name, slot.current.model.version, slot.uri),
    });
  }
  return {
    app,
    async listen({ host = '127.0.0.1', port = 0 } = {}) {
      if (!isLoopback(host) && options.token === undefined) {
        throw new ValidationError(`serving on ${host} (not loopback) needs a bearer token: set MLCYCLE_SERVE_TOKEN (createModelServer's token option); or bind 127.0.0.1`);
      }
      await app.listen({ host, port });
      listening = true;
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shown = isLoopback(host) || host === '0.0.0.0' || host === '::' ? (host.includes(':') ? '[::1]' : '127.0.0.1') : host;
      return `http://${shown}:${bound}`;
    },
    async close() {
      listening = false;
      await stopWatch();
      await app.close();
      await Promise.all([...logs.values()].map((log) => log.close()));
    },
  };
}

/**
 * The default prediction log folder of a model: `<home>/prediction-logs/<name>/`.
 * @example
 * defaultLogDir('.mlcycle', 'penguins'); // '.mlcycle/prediction-logs/penguins'
 */
export function defaultLogDir(home: string, model: string): string {
  return join(home, 'prediction-logs', model);
}
