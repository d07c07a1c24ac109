import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Cross-origin isolation lets ONNX Runtime use several WASM threads (SharedArrayBuffer).
 * Without these headers it still runs, on one thread. Static hosts that cannot set headers
 * get them from the app's service worker instead (see README, "Deploying").
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Deploy under a sub-path with PLURALSCOPE_BASE=/pluralscope/ npm run build
  base: process.env.PLURALSCOPE_BASE ?? '/',
  plugins: [svelte()],
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        main: resolve(root, 'index.html'),
        embed: resolve(root, 'embed.html'),
        // The widget's custom element: a fixed name (dist/embed.js) for one script tag.
        widget: resolve(root, 'src/embed/widget.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'widget' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
});
