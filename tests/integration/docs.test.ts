import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes } from '@rchat/protocol';
import {
  renderApiDoc,
  renderConfigDoc,
  renderErrorsDoc,
  renderOpenApi,
} from '../../scripts/render-docs.ts';
import { configSchemas } from '../../scripts/config-schemas.ts';
import { startPlatform } from '../support/platform.ts';

describe('generated docs', () => {
  it('docs/api.md, docs/openapi.json, docs/errors.md and docs/configuration.md match the protocol (run `npm run docs` after changing it)', () => {
    expect(readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')).toBe(
      renderApiDoc(),
    );
    expect(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')).toBe(
      renderOpenApi(),
    );
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(
      renderErrorsDoc(),
    );
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(
      renderConfigDoc(configSchemas),
    );
  });

  it('documents only routes the server really has', async () => {
    const platform = await startPlatform();
    try {
      const missing = routes.filter(
        (r) => !platform.app.hasRoute({ method: r.method, url: r.path }),
      );
      expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    } finally {
      await platform.close();
    }
  });
});
