import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Electron main, the CLI, and the engine's worker threads. Every entry lands flat in
        // out/main so workers are found beside the module that starts them (workers/rpc.ts).
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          cli: resolve(root, 'electron/cli/main.ts'),
          'writer-worker': resolve(root, 'electron/engine/workers/writer-worker.ts'),
          'reader-worker': resolve(root, 'electron/engine/workers/reader-worker.ts'),
          'parse-worker': resolve(root, 'electron/engine/workers/parse-worker.ts'),
          'sqlite-source-worker': resolve(root, 'electron/engine/workers/sqlite-source-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but a few Electron modules: zod (the contract) is
      // bundled in, never left as a require that would fail and leave the page without its bridge.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
