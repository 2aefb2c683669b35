import { INDICATORS } from '../indicators/registry.js';

const PARAM_DOCS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  reporter: { description: 'reporting economy, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  partner: { description: 'partner economy, ISO3', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
  flow: { description: 'trade flow', schema: { type: 'string', enum: ['export', 'import', 'total'] } },
  channel: {
    description: 'goods (flows) or services (series)',
    schema: { type: 'string', enum: ['goods', 'services'] },
  },
  years: { description: 'YYYY or YYYY-YYYY', schema: { type: 'string', pattern: '^\\d{4}(-\\d{4})?$' } },
  group: {
    description: 'product group set, optionally SET:NAME (bec-stage, bec-category, manufacturing, atp, hs-chapter)',
    schema: { type: 'string' },
  },
  level: { description: 'HS digits', schema: { type: 'string', enum: ['2', '4', '6'] } },
  dataset: { description: 'dataset ids, comma-separated', schema: { type: 'string', pattern: '^\\d+(,\\d+)*$' } },
  monthly: { description: 'keep months', schema: { type: 'boolean' } },
  side: {
    description: 'which report when both sides report',
    schema: { type: 'string', enum: ['auto', 'importer', 'exporter'] },
  },
  from: { description: 'first year compared', schema: { type: 'integer' } },
  to: { description: 'second year compared', schema: { type: 'integer' } },
  market: { description: 'third market, ISO3', schema: { type: 'string' } },
  economy: { description: 'third economy, ISO3', schema: { type: 'string' } },
  sources: { description: 'economies or group:ID, comma-separated', schema: { type: 'string' } },
  top: { description: 'number of rows', schema: { type: 'integer', minimum: 1 } },
  'world-from-partners': { description: 'world total as the sum over partners', schema: { type: 'boolean' } },
  on: { description: 'date, YYYY-MM-DD', schema: { type: 'string', format: 'date' } },
  lang: { description: 'language of names and notes', schema: { type: 'string', enum: ['en', 'zh'], default: 'en' } },
  format: {
    description: 'response format; csv and xlsx are downloads',
    schema: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' },
  },
};

function param(name: string, required = false): Record<string, unknown> {
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
