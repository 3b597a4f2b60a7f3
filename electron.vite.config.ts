import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three builds: the main process (Node), the preload bridge and the Svelte renderer.
// onnxruntime-node is a native addon and stays external to the main bundle.
export default defineConfig({
  main: {
    build: {
      // zod bundled: its modules from node_modules (zod/mini and a locale) took ~50 ms to import in
      // the main process and in each worker; bundled, only the parts the schemas use (src/shared/zod.ts).
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        external: ['onnxruntime-node'],
        // The analysis worker is its own entry: out/main/analysis-worker.js beside index.js
        // (src/main/analysis/spawn.ts starts it from there; from the sources it uses tsx).
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'analysis-worker': resolve(import.meta.dirname, 'src/main/analysis/worker.ts'),
          // Fine-tune worker (src/main/finetune/spawn.ts starts out/main/finetune-worker.js).
          'finetune-worker': resolve(import.meta.dirname, 'src/main/finetune/worker.ts'),
        },
      },
    },
  },
  // Sandboxed preloads must be CommonJS.
  preload: {
    build: {
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
  },
});
