import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer: one page, built to dist/renderer and loaded from app:// (Electron) or 127.0.0.1 (browser mode). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
  },
});
