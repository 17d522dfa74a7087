/**
 * The OpenAPI 3.1 document, generated from the routes as they are registered: every route's
 * params, query, body and response schemas are the ones fastify validates with, so the document
 * cannot drift from the server. JSON Schema in OpenAPI 3.1 is draft 2020-12; the route schemas
 * keep to the subset draft 7 and 2020-12 read the same way.
 */
import type { RouteOptions } from 'fastify';
import { ERROR_SCHEMA } from './errors.js';

interface Schemaish {
  summary?: string;
  description?: string;
  tags?: string[];
  params?: { properties?: Record<string, unknown>; required?: string[] };
  querystring?: { properties?: Record<string, unknown>; required?: string[] };
  body?: unknown;
  response?: Record<string, unknown>;
}

/** Named schemas put under components.schemas and referred to by `$ref` (the report is big). */
export interface NamedSchema {
  name: string;
  schema: Record<string, unknown>;
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'invalid request',
  '401': 'not signed in, or an unknown, revoked or expired token',
  '403': 'role or token scope too low, or a missing CSRF token',
  '404': 'not found',
  '409': 'conflict with the stored state (user exists, TOTP already enrolled)',
  '413': 'body too large',
  '415': 'unsupported content type',
  '422': 'a valid report the server does not store (not an image scan)',
  '423': 'account locked after repeated failed sign-ins',
  '429': 'rate limited',
  '503': 'a resource the server needs is missing (the vulnerability database for a re-match)',
};

export class OpenApiBuilder {
  private readonly paths: Record<string, Record<string, unknown>> = {};
  private readonly named = new Map<unknown, NamedSchema>();

  /** `key` (the schema object a route uses) appears in the document as `n`, by reference. */
  name(key: unknown, n: NamedSchema): void {
    this.named.set(key, n);
  }

  private ref(schema: unknown): unknown {
    const n = this.named.get(schema);
    return n ? { $ref: `#/components/schemas/${n.name}` } : schema;
  }

  add(route: RouteOptions): void {
    if (route.url === '*' || (route.schema as { hide?: boolean } | undefined)?.hide) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const s = (route.schema ?? {}) as Schemaish;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const access = (route.config as { access?: string } | undefined)?.access ?? 'public';
    for (const method of methods) {
      const parameters: unknown[] = [];
      for (const [where, part] of [
        ['path', s.params],
        ['query', s.querystring],
      ] as const) {
        for (const [name, schema] of Object.entries(part?.properties ?? {}))
          parameters.push({
            name,
            in: where,
            required: where === 'path' || (part?.required ?? []).includes(name),
            schema,
          });
      }
      const responses: Record<string, unknown> = {};
      for (const [code, schema] of Object.entries(s.response ?? {}))
        responses[code] = {
          description: (schema as { description?: string }).description ?? 'success',
          content: { 'application/json': { schema: this.ref(schema) } },
        };
      for (const [code, description] of Object.entries(ERROR_STATUSES))
        responses[code] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      const op: Record<string, unknown> = {
        operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
        summary: s.summary ?? '',
        ...(s.description ? { description: s.description } : {}),
        tags: s.tags ?? [],
        'x-bulwark-access': access,
        security: access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
        ...(parameters.length ? { parameters } : {}),
        ...(s.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: this.ref(s.body) } } } }
          : {}),
        responses,
      };
      (this.paths[path] ??= {})[method.toLowerCase()] = op;
    }
  }

  document(version: string): Record<string, unknown> {
    const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
    for (const n of this.named.values()) schemas[n.name] = n.schema;
    const sorted = Object.fromEntries(
      Object.entries(this.paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    return {
      openapi: '3.1.0',
      info: {
        title: 'bulwark server',
        version,
        description:
          'Vulnerability management server: stored image scans, history and access control. See docs/server.md.',
      },
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      paths: sorted,
      components: {
        schemas,
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token (POST /api/v1/tokens)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'bulwark_session',
            description: 'POST /api/v1/session; writes also need the X-CSRF-Token header',
          },
        },
      },
    };
  }
}

/**
 * A draft-7 schema made fit for `components.schemas`: its own `$schema`/`$id` dropped and its
 * `#/definitions/...` references pointed at where the definitions now sit.
 */
export function asComponent(schema: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = structuredClone(schema);
  delete copy.$schema;
  delete copy.$id;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$ref === 'string' && o.$ref.startsWith('#/definitions/'))
        o.$ref = `#/components/schemas/${name}/definitions/${o.$ref.slice('#/definitions/'.length)}`;
      Object.values(o).forEach(walk);
    }
  };
  walk(copy);
  return copy;
}
