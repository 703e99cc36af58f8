import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'templates/', 'test/fixtures/', 'bench/work/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Escapers and their tests match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // convert reads a user's files only through readText, which refuses what it cannot write back unharmed.
    files: ['src/convert/**/*.ts'],
    ignores: ['src/convert/text-file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
          name,
          importNames: ['readFileSync', 'readFile'],
          message:
            "Read a user's file with readText from src/convert/text-file.ts (it refuses non-UTF-8 text).",
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^readFile(Sync)?$/]',
          message:
            "Read a user's file with readText from src/convert/text-file.ts (it refuses non-UTF-8 text).",
        },
      ],
    },
  },
);
