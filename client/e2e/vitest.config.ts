import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The client folder, wherever vitest is started from.
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.test.ts'],
    // Building the H5 app and booting the server come first; a browser flow takes tens of seconds.
    hookTimeout: 300_000,
    testTimeout: 180_000,
    fileParallelism: false,
  },
})
