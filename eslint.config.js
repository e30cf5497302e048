// Type-aware lint. Layer rules: protocol and crypto are pure (no node:*, no DOM
// globals beyond WebCrypto); packages never import services or apps; services
// never import apps nor each other; a service's use cases (`src/app/`) import no
// adapter, no HTTP framework and no node:http; and no file imports another
// unit's internals by relative path (it imports the unit's package by name,
// through the package.json `exports`). tests/lint/boundaries.test.ts checks
// that each boundary is reported, on the fixtures in tests/lint-fixtures/.
//
// ESLint applies the last matching block's options of a rule, so each block
// that sets no-restricted-imports lists every pattern that holds for its files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = { group: ['node:*'], message: 'This package is pure: no Node.js built-ins.' };

/** Everywhere: another unit's sources only through its package (`@rchat/…` and its `exports`). */
const unitInternals = {
  regex: '^(\\.\\./)+(.*/)?[^/.]+/(src|scripts)(/|$)',
  message:
    'Import another unit by its package name (@rchat/…), through its package.json exports, not by a relative path into its sources.',
};

const servicesNeverImportApps = {
  group: ['@rchat/server', '@rchat/web', '@rchat/cli', '@rchat/sdk'],
  message: 'Services never import apps.',
};

const serviceNames = ['users', 'chat', 'delivery'];

/** A service reaches another only through a port (an in-process function or the other's HTTP API), wired by its host. */
function otherServices(self) {
  const others = serviceNames.filter((name) => name !== self).join('|');
  const message =
    'A service never imports another service: it reaches it through a port that its host wires (create-service options).';
  return [
    { regex: `^@rchat/(${others})(/|$)`, message },
    { regex: `^(\\.\\./)+(services/)?(${others})(/|$)`, message },
  ];
}

/** Use cases depend on ports and the query layer (db/), never on how they are served. */
const useCaseLayer = [
  {
    regex: '(^|/)adapters(/|$)',
    message: 'Use cases (app/) do not import adapters: adapters import use cases.',
  },
  {
    group: ['fastify', 'fastify/*', '@fastify/*', 'node:http', 'node:https', 'http', 'https'],
    message: "Use cases (app/) know no HTTP server: that is the adapters' part.",
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      '.cluster/**',
      'bench/results/**',
      'tests/lint-fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [unitInternals] }] },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            unitInternals,
            {
              group: [
                '@rchat/users',
                '@rchat/chat',
                '@rchat/delivery',
                '@rchat/server',
                '@rchat/web',
                '@rchat/cli',
              ],
              message: 'Packages never import services or apps.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/protocol/**/*.ts', 'packages/crypto/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            unitInternals,
            nodeBuiltins,
            {
              group: [
                '@rchat/server-kit',
                '@rchat/sdk',
                '@rchat/users',
                '@rchat/chat',
                '@rchat/delivery',
                '@rchat/server',
                '@rchat/web',
                '@rchat/cli',
              ],
              message: 'protocol and crypto import no other layer.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'localStorage',
        'indexedDB',
        'process',
        'Buffer',
      ],
    },
  },
  ...serviceNames.flatMap((name) => [
    {
      files: [`services/${name}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [unitInternals, servicesNeverImportApps, ...otherServices(name)] },
        ],
      },
    },
    {
      files: [`services/${name}/src/app/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              unitInternals,
              servicesNeverImportApps,
              ...otherServices(name),
              ...useCaseLayer,
            ],
          },
        ],
      },
    },
  ]),
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            unitInternals,
            {
              group: ['node:*'],
              message: 'The web client runs in the browser: no Node.js built-ins.',
            },
            {
              group: [
                '@rchat/server',
                '@rchat/server-kit',
                '@rchat/users',
                '@rchat/chat',
                '@rchat/delivery',
                '@rchat/cli',
              ],
              message: 'The web client talks to the server through the SDK only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'scripts/**',
      'bench/**',
      'apps/cli/**',
      'apps/web/scripts/**',
      '**/*.test.ts',
      'tests/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
