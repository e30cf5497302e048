// Generates docs/api.md, docs/openapi.json, docs/errors.md and docs/configuration.md from the
// protocol and config schemas, so the docs cannot drift from the code.
// Run with `npm run docs`; a test fails when the committed files differ from what this generates.
import { writeFileSync } from 'node:fs';
import { renderApiDoc, renderConfigDoc, renderErrorsDoc, renderOpenApi } from './render-docs.ts';
import { configSchemas } from './config-schemas.ts';

writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDoc());
writeFileSync(new URL('../docs/openapi.json', import.meta.url), renderOpenApi());
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigDoc(configSchemas));
console.log('wrote docs/api.md, docs/openapi.json, docs/errors.md and docs/configuration.md');
