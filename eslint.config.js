// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'visualizer/vendor/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The visualizer page: plain browser modules, served as they are (no build step).
    files: ['visualizer/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['document', 'window', 'location', 'WebSocket', 'requestAnimationFrame', 'setTimeout', 'setInterval', 'clearInterval'].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Machines stay pure (DESIGN.md): statecharts import only xstate, other machines and
    // generated types; effects are provided from src/.
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'ws', 'kysely', 'better-sqlite3', 'luxon', 'ajv', 'ajv-formats', 'ocpp-rpc'], message: 'machines/ stay pure: provide effects from src/.' },
            { group: ['../src/*', '!../src/generated', '../src/!(generated)/**'], message: 'machines/ may import only xstate, other machines and src/generated types.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'No clock in machines/: pass time in events.' }, { name: 'setTimeout', message: 'Use xstate delays or provided actors.' }, { name: 'setInterval', message: 'Use xstate delays or provided actors.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'No randomness in machines/: provide it from src/.' }],
    },
  },
);
