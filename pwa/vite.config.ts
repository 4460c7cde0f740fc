/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';

// Where `npm run dev` / `npm run preview` send API calls (the Rust server).
const apiTarget = process.env.WARMNEW_API ?? 'http://127.0.0.1:8080';
const proxy = Object.fromEntries(
  ['/api', '/healthz', '/readyz', '/openapi.json', '/docs', '/metrics', '/open311'].map((p) => [
    p,
    { target: apiTarget, changeOrigin: false },
  ]),
);

/** The app's stylesheet as a preload rather than a render-blocking <link rel=stylesheet>: the
 * inline splash paints at once, and main.tsx applies the sheet before the first render. */
function nonBlockingCss(): Plugin {
  return {
    name: 'warmnew-non-blocking-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<link rel="stylesheet"([^>]*?) href="([^"]+\.css)"\s*\/?>/g, '<link rel="preload" as="style"$1 href="$2">'),
    },
  };
}

export default defineConfig({
  plugins: [
    preact(),
    nonBlockingCss(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      // globPatterns below already precaches every icon.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: '暖新驿站',
        short_name: '暖新驿站',
        description: '为外卖骑手、快递小哥提供的暖新驿站服务',
        lang: 'zh-CN',
        dir: 'ltr',
        display: 'standalone',
        // Riders hold a phone upright; an operator's counter tablet may lie on its side.
        orientation: 'any',
        start_url: '/',
        scope: '/',
        theme_color: '#e8590c',
        background_color: '#ffffff',
        categories: ['lifestyle', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [
          /^\/api(\/|$)/,
          /^\/docs(\/|$)/,
          /^\/openapi\.json$/,
          /^\/metrics(\/|$)/,
          /^\/healthz$/,
          /^\/readyz$/,
          /^\/open311(\/|$)/,
        ],
        // The first install takes control of the open page so it works offline
        // at once; later versions wait for the user's "reload" (registerType: prompt).
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        // One file for the server to serve: no separate workbox-*.js runtime.
        inlineWorkboxRuntime: true,
        // Only GETs are ever cached: Workbox routes match GET unless told otherwise,
        // and no route here names another method.
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname === '/api/v1/regions',
            handler: 'StaleWhileRevalidate',
            method: 'GET',
            options: {
              cacheName: 'warmnew-regions',
              expiration: { maxEntries: 8, maxAgeSeconds: 7 * 24 * 60 * 60 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2020',
    sourcemap: false,
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: scripts/budget.mjs follows the entry's static imports with it.
    manifest: true,
  },
  server: { proxy },
  preview: { proxy },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
  },
});
