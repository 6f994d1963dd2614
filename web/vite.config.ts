/**
 * The web UI's build: Preact through @preact/preset-vite, one bundle into dist/web/, which the
 * node's server serves. `npm run build:web` runs it; `npm install` runs that (the `prepare` script).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // Absolute: the node serves the app at /, and client routes such as /hotline/thread/x need
  // /assets/... to resolve from any depth.
  base: '/',
  plugins: [preact()],
  build: {
    outDir: path.join(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle loads faster on a dashboard than a waterfall of chunks.
    modulePreload: false,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite web` during development: the API and its event stream come from a running node.
    proxy: { '/api': process.env.PARLEY_URL ?? 'http://127.0.0.1:8470' },
  },
});
