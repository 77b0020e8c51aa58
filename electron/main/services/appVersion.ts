declare const __APP_VERSION__: string | undefined;

/** Inlined from package.json by the build (esbuild and vitest `define`). */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
