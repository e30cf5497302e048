// Type-aware lint. Layer rules: protocol and crypto are pure (no node:*, no DOM
// globals beyond WebCrypto); packages never import services or apps; services
// never import apps.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = { group: ['node:*'], message: 'This package is pure: no Node.js built-ins.' };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.cluster/**', 'bench/results/**'] },
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
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
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
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@rchat/server', '@rchat/web', '@rchat/cli', '@rchat/sdk'],
              message: 'Services never import apps.',
            },
          ],
        },
      ],
    },
  },
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
