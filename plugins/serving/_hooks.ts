import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { DataError, ValidationError } from '../../core/index.ts';
import { bearerCheck, cutMessage, HttpError } from './_http.ts';
import type { ServeState } from './_predict.ts';

const MLFLOW_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 404: 'RESOURCE_DOES_NOT_EXIST', 413: 'REQUEST_LIMIT_EXCEEDED',
  415: 'UNSUPPORTED_MEDIA_TYPE', 503: 'TEMPORARILY_UNAVAILABLE', 500: 'INTERNAL_ERROR',
};

/**
 * Every route except the V2 health probes needs `Authorization: Bearer <token>` (constant-time
 * check); anything else is 401 with WWW-Authenticate. Added first, so nothing runs for a stranger.
 * @example
 * if (options.token !== undefined) addAuth(app, options.token);
 */
export function addAuth(app: FastifyInstance, token: string): void {
  const allowed = bearerCheck(token);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v2/health/')) return;
    if (!allowed(request.headers.authorization)) {
      throw new HttpError(401, 'this server needs Authorization: Bearer <token> (the MLCYCLE_SERVE_TOKEN it was started with)', { 'www-authenticate': 'Bearer realm="mlcycle"' });
    }
  });
}

/**
 * Errors as each protocol shapes them: V2 routes `{"error": "..."}`, the others MLflow's
 * `{"error_code", "message"}`. A user's mistake (bad rows, bad JSON, wrong type, body too large) keeps
 * its 4xx; anything else is a 500 whose details go to `onInternal`, not to the client.
 * @example
 * addErrorHandling(app, (m) => process.stderr.write(`${m}\n`));
 */
export function addErrorHandling(app: FastifyInstance, onInternal: (message: string) => void): void {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    const text = cutMessage(message);
    const body = request.url.startsWith('/v2') ? { error: text } : { error_code: MLFLOW_CODES[status] ?? 'BAD_REQUEST', message: text };
    return reply.code(status).send(body);
  };
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof HttpError) {
      reply.headers(error.headers);
      return send(request, reply, error.statusCode, error.message);
    }
    if (error instanceof DataError || error instanceof ValidationError) return send(request, reply, 400, error.message);
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return send(request, reply, status, clientMessage(error as FastifyError));
    if (status === 503) return send(request, reply, 503, 'the server is overloaded; retry after the Retry-After delay');
    onInternal(`${request.method} ${request.url.slice(0, 200)} failed: ${error.message}`);
    return send(request, reply, 500, 'internal error while predicting (the server log says why)');
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 100)}; see GET /docs`));
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'request body is larger than the server accepts (serve --body-limit)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'unsupported content type: send application/json (MLflow or V2 forms) or text/csv (/invocations)';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return 'the JSON body is empty';
    default:
      return error instanceof SyntaxError || /JSON/.test(error.message) ? `malformed JSON body: ${cutMessage(error.message, 80)}` : error.message;
  }
}

/**
 * The bound on prediction requests in flight or queued: a request counts from the moment it arrives
 * (its body may still be coming) until its response is sent. Once its body is read, a request with
 * `maxQueue` or more earlier requests still pending is answered 503 with Retry-After at once rather
 * than waiting behind them. The check runs after the body is read so the client gets a clean response.
 * @example
 * app.post('/invocations', admission(state, 64, 1), handler);
 */
export function admission(state: ServeState, maxQueue: number, retryAfterSeconds: number): RouteShorthandOptions {
  let next = 0;
  const pending = new Set<number>();
  const seqOf = new WeakMap<object, number>();
  const leave = async (request: FastifyRequest) => {
    const seq = seqOf.get(request);
    if (seq === undefined || !pending.delete(seq)) return;
    state.metrics.setInFlight(pending.size);
  };
  return {
    onRequest: async (request) => {
      const seq = next++;
      seqOf.set(request, seq);
      pending.add(seq);
      state.metrics.setInFlight(pending.size);
    },
    preHandler: async (request) => {
      const mine = seqOf.get(request)!;
      let ahead = 0;
      for (const seq of pending) if (seq < mine) ahead++;
      if (ahead >= maxQueue) {
        throw new HttpError(503, `too many prediction requests in flight (${ahead} ahead, at most ${maxQueue}); retry after ${retryAfterSeconds} s`, { 'retry-after': String(retryAfterSeconds) });
      }
    },
    onResponse: leave,
    onRequestAbort: leave,
  };
}
