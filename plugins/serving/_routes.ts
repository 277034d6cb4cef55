import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { HttpError } from './_http.ts';
import { pickSlot, predictRows, type ServeState } from './_predict.ts';
import { csvRows, invocationRows, v2Rows } from './request-rows.ts';

/** The header every prediction response carries: which model and version answered. */
export const MODEL_HEADER = 'x-mlcycle-model';

/**
 * `POST /invocations` (MLflow's scoring protocol, JSON forms and text/csv) and the KServe Open
 * Inference Protocol V2 routes. `predict` holds the route options of prediction routes (the
 * overload bound's hooks).
 * @example
 * addRoutes(app, state, admission(state, 64, 1), () => listening);
 */
export function addRoutes(app: FastifyInstance, state: ServeState, predict: RouteShorthandOptions, isReady: () => boolean): void {
  app.post('/invocations', predict, async (request: FastifyRequest, reply: FastifyReply) => {
    const slot = pickSlot(state, (request.query as Record<string, unknown>).model, 'the query parameter ?model=<name>');
    state.modelOf.set(request, slot.name);
    const raw = typeof request.body === 'string' ? csvRows(request.body) : invocationRows(request.body);
    const { version, outputs } = await predictRows(state, slot, raw);
    reply.header(MODEL_HEADER, version.label);
    const body: Record<string, unknown> = { predictions: outputs.map((o) => o.predicted) };
    if (version.classes) {
      const classes = version.classes;
      body.probabilities = outputs.map((o) => Object.fromEntries(classes.map((c) => [c, o[`prob_${c}`]])));
    }
    return body;
  });

  app.get('/v2', async () => ({ name: 'mlcycle', extensions: [] }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_request, reply) => {
    const ready = isReady();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('/v2/models/:name', async (request) => {
    const slot = pickSlot(state, (request.params as { name: string }).name, 'the URL');
    state.modelOf.set(request, slot.name);
    const { model, schema, classes } = slot.current;
    return {
      name: slot.name,
      versions: [String(model.version ?? '')].filter(Boolean),
      platform: 'mlcycle',
      inputs: schema.features.map((f) => ({ name: f.name, datatype: V2_TYPE[f.type], shape: [-1] })),
      outputs: [
        { name: 'predicted', datatype: classes ? 'BYTES' : 'FP64', shape: [-1] },
        ...(classes ?? []).map((c) => ({ name: `prob_${c}`, datatype: 'FP64', shape: [-1] })),
      ],
    };
  });
  app.get('/v2/models/:name/ready', async (request) => {
    const slot = pickSlot(state, (request.params as { name: string }).name, 'the URL');
    state.modelOf.set(request, slot.name);
    return { name: slot.name, ready: true };
  });
  app.post('/v2/models/:name/infer', predict, async (request, reply) => {
    const slot = pickSlot(state, (request.params as { name: string }).name, 'the URL');
    state.modelOf.set(request, slot.name);
    if (typeof request.body === 'string') throw new HttpError(415, 'V2 infer takes application/json (inputs: [{ name, shape, datatype, data }]); text/csv is for /invocations');
    const { id, rows } = v2Rows(request.body);
    const { version, outputs } = await predictRows(state, slot, rows);
    reply.header(MODEL_HEADER, version.label);
    const n = outputs.length;
    const names = ['predicted', ...(version.classes ?? []).map((c) => `prob_${c}`)];
    return {
      model_name: slot.name,
      model_version: String(version.model.version ?? ''),
      ...(id === undefined ? {} : { id }),
      outputs: names.map((name) => ({
        name,
        shape: [n],
        datatype: name === 'predicted' && version.classes ? 'BYTES' : 'FP64',
        data: outputs.map((o) => o[name] ?? null),
      })),
    };
  });
}

/** Feature type → V2 tensor datatype. */
const V2_TYPE: Record<string, string> = { number: 'FP64', integer: 'INT64', string: 'BYTES', boolean: 'BOOL', date: 'BYTES' };
