import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The dashboard and the minimal example page, built into web/dist by `npm run build:web`
// (npm ci runs it through `prepare`); `randwire serve` serves web/dist as it is.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        predict: fileURLToPath(new URL('examples/predict.html', import.meta.url)),
      },
    },
  },
});
