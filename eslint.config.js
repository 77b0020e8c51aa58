// Lint rules, including the layering that keeps each runtime's code in its folder (VS Code style).
// Do not relax the layer rules to make an import pass: move the code to the layer it belongs to.
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));
const nodeBuiltins = (message) => [...NODE_BUILTINS.map((name) => ({ name, message }))];
const NODE_PATTERN = (message) => ({ group: ['node:*'], message });

const SERVICE_MESSAGE = 'Main-process services are plain Node: they never import electron or electron-store. Put Electron calls in an adapter under electron/main/{platform,window,ipc,protocol,menu} and pass it in.';
const SHARED_MESSAGE = 'shared/ is pure TypeScript that both processes run: no Node, no DOM, no Electron, no UI libraries.';
const RENDERER_MESSAGE = 'The renderer is a sandboxed web page: it reaches the main process only through the api object (useApi()).';
const PRELOAD_MESSAGE = 'The sandboxed preload may import only electron (contextBridge, ipcRenderer) and shared/ names.';
const IPC_MAIN_MESSAGE = 'Only electron/main/ipc/registerIpc.ts touches ipcMain: add a contract method instead.';
const STORE_MESSAGE = 'Only adapters under electron/main/platform/ use electron-store.';

const restrict = (paths, patterns = []) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.name="eval"]', message: 'No eval.' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './shared', from: ['./renderer', './electron'], message: SHARED_MESSAGE },
            { target: './renderer', from: './electron', message: RENDERER_MESSAGE },
            { target: './electron', from: './renderer', message: 'Main-process code never imports the renderer.' },
            { target: './electron/preload', from: './electron/main', message: PRELOAD_MESSAGE },
            { target: './electron/main/services', from: ['./electron/main/platform', './electron/main/window', './electron/main/ipc', './electron/main/protocol', './electron/main/menu', './electron/main/index.ts'], message: SERVICE_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          ...nodeBuiltins(SHARED_MESSAGE),
          ...['electron', 'electron-store', 'react', 'react-dom', 'zustand', 'ssh2', 'ws', 'uplot', 'i18next', 'react-i18next'].map((name) => ({ name, message: SHARED_MESSAGE })),
        ],
        [NODE_PATTERN(SHARED_MESSAGE), { group: ['@xterm/*', 'react-dom/*', 'electron/*'], message: SHARED_MESSAGE }],
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        [...nodeBuiltins(RENDERER_MESSAGE), ...['electron', 'electron-store', 'ssh2', 'ws'].map((name) => ({ name, message: RENDERER_MESSAGE }))],
        [NODE_PATTERN(RENDERER_MESSAGE)],
      ),
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': restrict([
        { name: 'electron', importNames: ['ipcMain'], message: IPC_MAIN_MESSAGE },
        { name: 'electron-store', message: STORE_MESSAGE },
      ]),
    },
  },
  {
    // Code that runs without Electron: services, the browser-mode server, the CLI, and the
    // window policy that tests import. Type-only imports are erased, so the policy may use them.
    files: ['electron/main/services/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(['electron', 'electron-store'].map((name) => ({ name, message: SERVICE_MESSAGE })), [{ group: ['electron/*'], message: SERVICE_MESSAGE }]) },
  },
  {
    files: ['electron/main/security/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([{ name: 'electron', allowTypeImports: true, message: SERVICE_MESSAGE }, { name: 'electron-store', message: SERVICE_MESSAGE }]) },
  },
  {
    files: ['electron/main/platform/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([{ name: 'electron', importNames: ['ipcMain'], message: IPC_MAIN_MESSAGE }]) },
  },
  {
    files: ['electron/main/ipc/registerIpc.ts'],
    rules: { 'no-restricted-imports': restrict([{ name: 'electron-store', message: STORE_MESSAGE }]) },
  },
  {
    files: ['electron/preload/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltins(PRELOAD_MESSAGE), { name: 'electron-store', message: PRELOAD_MESSAGE }],
        [NODE_PATTERN(PRELOAD_MESSAGE), { group: ['zod', 'ssh2', 'ws', 'react', 'react-*', 'zustand'], message: PRELOAD_MESSAGE }],
      ),
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', 'bench/**/*.{ts,mjs}', 'test/**/*.ts', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests run in Node and must never trigger Electron's binary download.
    files: ['test/**/*.ts', 'bench/**/*.{ts,mjs}'],
    rules: { 'no-restricted-imports': restrict([{ name: 'electron', message: 'Tests never import electron (it downloads its binary on first require).' }, { name: 'electron-store', message: 'Tests use the Node settings repository.' }]) },
  },
);
