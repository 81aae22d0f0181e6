// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries from the design brief, as errors. A folder may import only the folders in its
 * "may import" column; any path segment naming another layer (relative or aliased) is refused,
 * and so are runtime-specific packages where the runtime is absent.
 */
const LAYERS = ['common', 'native', 'electron', 'renderer', 'wasm', 'cloud', 'test', 'bin'];
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'stream',
  'url',
  'util',
  'events',
  'buffer',
];

/**
 * @param {string[]} forbiddenLayers @param {string[]} extraPatterns @param {string} why
 * @param {{ regex: string, message: string }[]} [within] folders inside a layer that must not meet
 */
function boundary(forbiddenLayers, extraPatterns, why, within = []) {
  const layerRe = `(^|/)(${forbiddenLayers.join('|')})(/|$)`;
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: layerRe, message: why },
          ...(extraPatterns.length ? [{ group: extraPatterns, message: why }] : []),
          ...within,
        ],
      },
    ],
  };
}

const others = (/** @type {string[]} */ ...allowed) => LAYERS.filter((l) => !allowed.includes(l));
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'location',
  'process',
  'Buffer',
  'require',
  '__dirname',
  'global',
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'wasm/build/**',
      'wasm/assembly/**',
      'test-results/**',
      'playwright-report/**',
      'test/artifacts/**',
      'test/fixtures/lint/**',
      '.cloud-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // i18next's own t() costs ~30 µs a call; the renderer's hook memoises it (use-translation.ts).
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}', 'renderer/src/i18n/use-translation.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='react-i18next'] ImportSpecifier[imported.name='useTranslation']",
          message: 'Use useTranslation from renderer/src/i18n/use-translation (a memoised t).',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['common/**/*.ts'],
    ignores: ['common/**/*.test.ts'],
    rules: {
      ...boundary(
        others('common'),
        [...NODE_BUILTINS, 'electron', 'react', 'react-dom', 'dexie', 'node-hid', 'ws'],
        'common/ is runtime-neutral: it may import only common/.',
      ),
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS.map((name) => ({
          name,
          message: 'common/ runs in any JS runtime: no DOM or Node globals.',
        })),
      ],
    },
  },
  {
    files: ['native/**/*.ts'],
    ignores: ['native/**/*.test.ts'],
    rules: boundary(
      others('common', 'native'),
      ['react', 'react-dom', 'dexie', 'electron'],
      'native/ may import only common/ (and Node).',
    ),
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/**/*.test.ts'],
    rules: boundary(
      others('common', 'native', 'electron'),
      ['react', 'react-dom', 'dexie'],
      'electron/main may import common/ and native/ only.',
    ),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: boundary(
      others('common', 'electron'),
      [...NODE_BUILTINS, 'react', 'dexie', 'node-hid'],
      'The preload is contextBridge only: it may import common/ and electron.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}', 'renderer/vite.*.ts'],
    rules: boundary(
      others('common', 'renderer', 'wasm'),
      [...NODE_BUILTINS, 'electron', 'node-hid', 'ws'],
      'renderer/ runs in Chromium: it may import common/ and the wasm/ loader only.',
    ),
  },
  // Inside the renderer, the matcher and the sync engine meet only in shard/ (the shard store).
  ...[
    ['matcher', 'sync'],
    ['sync', 'matcher'],
  ].map(([from, to]) => ({
    files: [`renderer/src/${from}/**/*.{ts,tsx}`],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    rules: boundary(
      others('common', 'renderer', 'wasm'),
      [...NODE_BUILTINS, 'electron', 'node-hid', 'ws'],
      'renderer/ runs in Chromium: it may import common/ and the wasm/ loader only.',
      [
        {
          regex: `^\\.\\./${to}(/|$)`,
          message: `renderer/src/${from}/ may not import ${to}/: they share the shard store in shard/.`,
        },
      ],
    ),
  })),
  {
    files: ['wasm/**/*.ts'],
    ignores: ['wasm/**/*.test.ts', 'wasm/assembly/**'],
    rules: boundary(
      others('common', 'wasm'),
      ['electron', 'react', 'dexie', 'node-hid'],
      'wasm/ may import only common/.',
    ),
  },
  {
    files: ['bin/**/*.ts'],
    ignores: ['bin/**/*.test.ts'],
    rules: boundary(
      others('common', 'native', 'wasm', 'bin'),
      ['electron', 'react', 'react-dom', 'dexie'],
      'bin/ (CLIs such as palmctl) may import common/, native/ and the wasm/ loader.',
    ),
  },
  {
    files: ['cloud/**/*.ts'],
    ignores: ['cloud/**/*.test.ts'],
    rules: boundary(
      others('common', 'cloud'),
      ['electron', 'react', 'react-dom', 'dexie', 'node-hid'],
      'cloud/ may import only common/.',
    ),
  },
);
