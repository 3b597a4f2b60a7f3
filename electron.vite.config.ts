import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three builds: the main process (Node), the preload bridge and the Svelte renderer.
// onnxruntime-node is a native addon and stays external to the main bundle.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        external: ['onnxruntime-node'],
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
