import { INDICATORS } from '../indicators/registry.js';
import { openApiParameter, PARAMETERS } from '../indicators/paramSchema.js';

/** Parameters of the other endpoints (the indicator parameters come from the registry's PARAMETERS). */
const PARAM_DOCS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  actor: { description: 'economy taking the measures, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  target: { description: 'economy the measures target, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  importer: { description: 'the dependent economy, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  supplier: { description: 'the economy it depends on, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  year: { description: 'year, YYYY', schema: { type: 'integer' } },
  by: { description: 'count by', schema: { type: 'string', enum: ['year', 'actor', 'instrument', 'field'] } },
  lang: { description: 'language of names and notes', schema: { type: 'string', enum: ['en', 'zh'], default: 'en' } },
  format: {
    description: 'response format; csv and xlsx are downloads',
    schema: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' },
  },
};

/** Returns the OpenAPI description of a query parameter: an indicator parameter from its spec, else PARAM_DOCS. */
function param(name: string, required = false): Record<string, unknown> {
  const spec = PARAMETERS.find((p) => p.name === name);
  if (spec) return { ...openApiParameter(spec), required };
  const d = PARAM_DOCS[name] ?? { description: name, schema: { type: 'string' } };
  return { name, in: 'query', required, description: d.description, schema: d.schema };
}

const table = {
  description: 'rows with the notes that qualify them (JSON), or a CSV or Excel download',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          rows: { type: 'array', items: { type: 'object' } },
          notes: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    'text/csv': { schema: { type: 'string' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: { type: 'string', format: 'binary' },
    },
  },
};
const errors = {
  400: {
    description: 'a parameter is unknown or invalid',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  401: { description: 'a token is required' },
  503: { description: 'the query took too long and was stopped' },
};

/** Returns the OpenAPI 3.1 document of the dashboard's read-only API, generated from the indicator registry. */
export function openApiDocument(): Record<string, unknown> {
  const computeParams = [...new Set(INDICATORS.flatMap((i) => i.params))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Decoupling Monitor API · 脱钩与去风险监测 API',
      version: '1',
      description:
        'Read-only access to the indicators, report, measures registry, risk list and datasets of a Decoupling Monitor store. Every parameter is checked against the indicator registry; unknown parameters are refused.',
    },
    components: {
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'required when the server was started with --token' },
      },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } },
    },
    paths: {
      '/api/indicators': {
        get: {
          summary: 'the indicator registry: names (en, zh), formula, unit, data needs, reading, reference, parameters',
          responses: {
            200: {
              description: 'indicators',
              content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } },
            },
          },
        },
      },
      '/api/compute/{id}': {
        get: {
          summary: 'compute an indicator; each indicator accepts only the parameters it lists in /api/indicators',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', enum: INDICATORS.map((i) => i.id) } },
            ...computeParams.map((p) => param(p)),
            param('lang'),
            param('format'),
          ],
          responses: { 200: table, 404: { description: 'no such indicator' }, ...errors },
        },
      },
      '/api/overview': {
        get: {
          summary:
            'the overview: a card per headline finding with the latest value of its table, the change since 2017 within one series, a sparkline and the source',
          parameters: [param('reporter'), param('partner'), param('lang')],
          responses: {
            200: { description: 'the cards', content: { 'application/json': { schema: { type: 'object' } } } },
            ...errors,
          },
        },
      },
      '/api/report': {
        get: {
          summary: 'the assessment report as data: sections, findings, tables, Vega-Lite charts, datasets',
          parameters: [param('reporter'), param('partner'), param('years'), param('lang')],
          responses: {
            200: { description: 'the report model', content: { 'application/json': { schema: { type: 'object' } } } },
            ...errors,
          },
        },
      },
      '/api/measures': {
        get: {
          summary: 'the measures timeline',
          parameters: ['actor', 'target', 'from', 'to', 'lang', 'format'].map((p) => param(p)),
          responses: { 200: table, ...errors },
        },
      },
      '/api/measure-counts': {
        get: {
          summary: 'measures counted by year, actor, instrument or field',
          parameters: [
            { name: 'by', in: 'query', schema: { type: 'string', enum: ['year', 'actor', 'instrument', 'field'] } },
            ...['actor', 'target', 'from', 'to', 'lang', 'format'].map((p) => param(p)),
          ],
          responses: { 200: table, ...errors },
        },
      },
      '/api/risk': {
        get: {
          summary: 'the risk list (风险清单) of products where the importer depends on the supplier',
          parameters: [
            param('lang'),
            param('format'),
            { name: 'importer', in: 'query', schema: { type: 'string' } },
            { name: 'supplier', in: 'query', schema: { type: 'string' } },
            { name: 'year', in: 'query', schema: { type: 'integer' } },
            param('top'),
          ],
          responses: { 200: table, ...errors },
        },
      },
      '/api/datasets': {
        get: {
          summary: 'what the store holds and where it came from',
          parameters: [param('format')],
          responses: { 200: table, ...errors },
        },
      },
    },
    security: [{}, { token: [] }],
  };
}
