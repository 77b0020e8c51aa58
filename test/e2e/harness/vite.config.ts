import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** A test-only page built from the real canvas modules; the spec picks the output folder. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  // One chunk with React in it is what a test page wants; the size warning is noise here.
  build: { target: 'chrome120', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
