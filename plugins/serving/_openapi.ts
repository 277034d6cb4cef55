import type { ModelSlot } from './_model-slot.ts';
import { MODEL_HEADER } from './_routes.ts';

/**
 * The OpenAPI 3.1 document of a server, generated from each served bundle's features: the row
 * schema (types, categories, nullability) of every model, the request forms of /invocations and V2
 * infer, their responses and the error shapes. Built from the versions served when asked, so it
 * follows a hot swap.
 * @example
 * app.get('/docs', async () => openApiDocument([...slots.values()], '0.1.0'));
 */
export function openApiDocument(slots: ModelSlot[], version: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {
    MlflowError: { type: 'object', properties: { error_code: { type: 'string' }, message: { type: 'string' } }, required: ['error_code', 'message'] },
    V2Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
    V2Tensor: {
      type: 'object', required: ['name', 'shape', 'datatype', 'data'],
      properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string', enum: ['FP64', 'INT64', 'BYTES', 'BOOL'] }, data: { type: 'array' } },
    },
  };
  const rowRefs = slots.map((slot) => {
    const key = `Row_${slot.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    schemas[key] = { ...slot.current.schema.schema, description: `One row for model '${slot.name}' (${slot.current.label})` };
    return { $ref: `#/components/schemas/${key}` };
  });
  const row = rowRefs.length === 1 ? rowRefs[0] : { oneOf: rowRefs };
  const records = { type: 'array', items: row };
  const mlflowError = { content: { 'application/json': { schema: { $ref: '#/components/schemas/MlflowError' } } } };
  const v2Error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/V2Error' } } } };
  const errors = (body: object) => ({
    400: { description: 'Bad rows (names the row and field), malformed JSON or a bad body shape', ...body },
    401: { description: 'Missing or wrong bearer token (only when the server has one)', ...body },
    404: { description: 'No such model', ...body },
    413: { description: 'Body over the limit', ...body },
    415: { description: 'Unsupported content type', ...body },
    503: { description: 'Overloaded: retry after the Retry-After header', ...body },
  });
  const modelParam = { name: 'model', in: 'query', required: slots.length > 1, schema: { type: 'string', enum: slots.map((s) => s.name) } };
  const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: slots.map((s) => s.name) } };
  return {
    openapi: '3.1.0',
    info: { title: 'mlcycle model server', version, description: `Serves ${slots.map((s) => `${s.current.label} (${s.uri})`).join(', ')}.` },
    paths: {
      '/invocations': {
        post: {
          summary: 'Predict rows (MLflow scoring protocol)',
          parameters: [modelParam],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', required: ['dataframe_split'], properties: { dataframe_split: { type: 'object', required: ['columns', 'data'], properties: { columns: { type: 'array', items: { type: 'string' } }, data: { type: 'array', items: { type: 'array' } } } } } },
                    { type: 'object', required: ['dataframe_records'], properties: { dataframe_records: records } },
                    { type: 'object', required: ['instances'], properties: { instances: records } },
                    { type: 'object', required: ['inputs'], properties: { inputs: { oneOf: [records, { type: 'object', additionalProperties: { type: 'array' } }] } } },
                  ],
                },
              },
              'text/csv': { schema: { type: 'string', description: 'A header row with the feature names, then one row per line' } },
            },
          },
          responses: {
            200: {
              description: `Predictions in row order; for classifiers also the probability of each class. Header ${MODEL_HEADER}: name/version.`,
              headers: { [MODEL_HEADER]: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { type: 'object', required: ['predictions'], properties: { predictions: { type: 'array' }, probabilities: { type: 'array', items: { type: 'object', additionalProperties: { type: 'number' } } } } } } },
            },
            ...errors(mlflowError),
          },
        },
      },
      '/v2/health/live': { get: { summary: 'Liveness (never needs a token)', responses: { 200: { description: '{"live": true}' } } } },
      '/v2/health/ready': { get: { summary: 'Readiness: every model loaded (never needs a token)', responses: { 200: { description: '{"ready": true}' }, 503: { description: '{"ready": false}' } } } },
      '/v2/models/{name}': { get: { summary: 'Model metadata (V2)', parameters: [nameParam], responses: { 200: { description: 'name, versions, platform, inputs, outputs' }, 404: { description: 'No such model', ...v2Error } } } },
      '/v2/models/{name}/ready': { get: { summary: 'Model readiness (V2)', parameters: [nameParam], responses: { 200: { description: '{"name", "ready": true}' }, 404: { description: 'No such model', ...v2Error } } } },
      '/v2/models/{name}/infer': {
        post: {
          summary: 'Predict (KServe Open Inference Protocol V2), one input tensor per feature',
          parameters: [nameParam],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['inputs'], properties: { id: { type: 'string' }, inputs: { type: 'array', items: { $ref: '#/components/schemas/V2Tensor' } } } } } } },
          responses: {
            200: { description: "model_name, model_version, id (echoed), outputs: 'predicted' and, for classifiers, 'prob_<class>'", content: { 'application/json': { schema: { type: 'object', properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, outputs: { type: 'array', items: { $ref: '#/components/schemas/V2Tensor' } } } } } } },
            ...errors(v2Error),
          },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
    },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
