// Builds the wall (client/) into client/dist, which the server serves at /. `npm start` and the test suite
// build it when the sources are newer than the last build (bin/build-client.ts).
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const page = (name: string) => fileURLToPath(new URL(`./client/${name}.html`, import.meta.url))

export default defineConfig({
  root: 'client',
  base: '/',
  plugins: [svelte()],
  // MapLibre starts its worker as a module worker
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB; the wall is one page loaded once a day, so one chunk is fine
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
    // five pages: the wall, sign-in, admin, the leaders' performance page and the citizen-report consoles (the
    // office pages never load MapLibre)
    rollupOptions: { input: { index: page('index'), login: page('login'), admin: page('admin'), leaders: page('leaders'), reports: page('reports') } },
  },
  server: {
    // `npx vite` for client work against a running `npm start`
    proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } },
  },
})
