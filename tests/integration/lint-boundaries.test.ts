import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import boundaries of eslint.config.js, checked on fixtures that cross
 * each one: every fixture in tests/lint-fixtures/ is linted as if it stood at
 * the path its first line names (`// as: <path>`), with the repository's own
 * configuration, and must be reported with the boundary's message; the
 * fixtures that keep to the boundaries must be clean. The fixtures' paths
 * exist in no TypeScript project, so the type-aware rules are off for them
 * (the boundary rules need no types).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = new URL('../lint-fixtures/', import.meta.url);

const crossings: Record<string, RegExp> = {
  'use-case-imports-adapter.ts': /Use cases \(app\/\) do not import adapters/,
  'use-case-imports-fastify.ts': /Use cases \(app\/\) know no HTTP server/,
  'use-case-imports-node-http.ts': /Use cases \(app\/\) know no HTTP server/,
  'service-imports-service.ts': /A service never imports another service/,
  'service-imports-service-by-path.ts': /A service never imports another service/,
  'outside-imports-unit-internals.ts': /Import another unit by its package name/,
  'package-imports-unit-internals.ts': /Import another unit by its package name/,
};
const clean = ['within-boundaries.ts', 'own-sources-by-path.ts'];

let eslint: ESLint;

async function lintFixture(name: string): Promise<ESLint.LintResult> {
  const text = readFileSync(new URL(name, fixtures), 'utf8');
  const as = /^\/\/ as: (\S+)/.exec(text)?.[1];
  if (!as) throw new Error(`${name} does not say where it stands (// as: <path>)`);
  const [result] = await eslint.lintText(text, { filePath: `${root}${as}` });
  if (!result) throw new Error(`ESLint answered nothing for ${name}`);
  return result;
}

describe('import boundaries (eslint.config.js)', () => {
  beforeAll(() => {
    eslint = new ESLint({
      cwd: root,
      overrideConfigFile: `${root}eslint.config.js`,
      overrideConfig: [{ files: ['**/__fixture__.ts'], ...tseslint.configs.disableTypeChecked }],
      ignore: false,
    });
  });

  for (const [name, message] of Object.entries(crossings))
    it(`reports ${name}`, { timeout: 180_000 }, async () => {
      const result = await lintFixture(name);
      const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      expect(restricted.map((m) => m.message)).toContainEqual(expect.stringMatching(message));
    });

  for (const name of clean)
    it(`leaves ${name} clean`, { timeout: 180_000 }, async () => {
      const result = await lintFixture(name);
      expect(result.messages).toEqual([]);
    });
});
