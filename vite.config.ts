import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The renderer build. The local server serves build/renderer/ under a strict CSP (no inline scripts,
 * no CDN), so every asset, monaco and its workers included, is bundled here; `base: './'` keeps URLs
 * relative so the same files work from the server and from Electron's file:// window.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 6000,
    // Inline data: assets are fine under img-src/font-src data:, but keep workers as files (worker-src 'self').
    assetsInlineLimit: 4096,
  },
  worker: { format: 'es' },
  server: {
    // `vite` dev server: proxy the API to a running `pulse serve` (set PULSE_URL=http://127.0.0.1:PORT).
    proxy: process.env.PULSE_URL
      ? {
          '/api': { target: process.env.PULSE_URL, ws: true, changeOrigin: false },
        }
      : undefined,
  },
});
