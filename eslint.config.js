// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'zlib',
  'net',
  'http',
  'https',
  'url',
  'stream',
  'util',
];

/** DESIGN.md §3: what each layer must not import. A violation fails `npm test`. */
function forbid(groups, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/output/**', 'test-results/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Log content is rendered as text, never as HTML.',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', 'react', 'react-dom', ...NODE_BUILTINS, '**/electron/**', '**/renderer/**'],
      'shared/ is pure: no electron, node or DOM (DESIGN.md §3).',
    ),
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/server/**/*.ts'],
    rules: forbid(
      ['electron', 'electron/*', '**/electron/main/**', '**/main/**', '**/renderer/**', 'react'],
      'The engine is plain Node: it never imports electron, main or renderer (DESIGN.md §3).',
    ),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: forbid(['**/renderer/**'], 'Electron main must not import the renderer.'),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: forbid(
      [...NODE_BUILTINS, '**/engine/**', '**/main/**'],
      'The preload exposes the contract and nothing else.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        ['electron', 'electron/*', ...NODE_BUILTINS, '**/electron/**'],
        'The renderer reaches the engine only through the contract (lib/api.ts).',
      ),
    },
  },
);
