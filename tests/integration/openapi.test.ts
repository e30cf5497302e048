import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiPath, routes, type OpenApiDocument } from '@rchat/protocol';
import { renderOpenApi } from '../../scripts/render-docs.ts';
import { startPlatform } from '../support/platform.ts';

const committedText = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
const committed = JSON.parse(committedText) as OpenApiDocument;

describe('OpenAPI document', () => {
  it('docs/openapi.json matches the route table (run `npm run docs` after changing it)', () => {
    expect(committedText).toBe(renderOpenApi());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(committedText) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator really checks 3.1: an operation without responses, or a path item
    // with an unknown method, is refused.
    const broken = structuredClone(committed) as unknown as {
      paths: Record<string, Record<string, unknown>>;
    };
    broken.paths['/inbox'] = { fetch: {} };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('names shared schemas once under components, and every reference finds its schema', () => {
    const refs = [...committedText.matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    const names = Object.keys(committed.components.schemas);
    expect(refs.filter((r) => !names.some((n) => r === `#/components/schemas/${n}`))).toEqual([]);
    // Each component is used by a path, directly or through another component.
    expect(names.filter((n) => !refs.includes(`#/components/schemas/${n}`))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['ErrorBody', 'SessionResponse', 'Message']));
  });

  it('has every public route of the table with its method, path parameters and security', () => {
    const operations = Object.entries(committed.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const publicRoutes = routes.filter((r) => r.auth !== 'internal');
    expect(operations.sort()).toEqual(
      publicRoutes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort(),
    );
    for (const route of publicRoutes) {
      const op = committed.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      const where = `${route.method} ${route.path}`;
      const pathParams = (op?.parameters ?? []).filter((p) => (p as { in: string }).in === 'path');
      expect(
        pathParams.map((p) => (p as { name: string }).name),
        where,
      ).toEqual([...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]));
      expect(Object.keys(op?.responses ?? {}), where).toContain(String(route.status));
      expect(
        Object.values(op?.responses ?? {})
          .flatMap((r) => r['x-error-codes'] ?? [])
          .sort(),
        where,
      ).toEqual([...route.errors].sort());
      expect(op?.security, where).toEqual(
        route.auth === 'none'
          ? []
          : route.auth === 'bearer'
            ? [{ bearerAuth: [] }]
            : [{ bearerAuth: [] }, { accessTokenQuery: [] }],
      );
    }
  });

  it('shows query numbers, which arrive as strings, as the integers they are read as', () => {
    const inbox = committed.paths['/inbox']?.get?.parameters as
      | { name: string; schema: { type?: string } }[]
      | undefined;
    expect(inbox?.map((p) => [p.name, p.schema.type])).toEqual([
      ['after', 'integer'],
      ['limit', 'integer'],
    ]);
  });

  it('is served at GET /openapi.json without a token, the same as the committed one', async () => {
    const platform = await startPlatform();
    try {
      const res = await fetch(`${platform.url}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(await res.json()).toEqual(committed);
    } finally {
      await platform.close();
    }
  });
});
