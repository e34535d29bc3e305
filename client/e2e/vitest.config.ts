import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The client folder, wherever vitest is started from.
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.test.ts'],
    // The H5 build, once for every file.
    globalSetup: ['e2e/global-setup.ts'],
    // Booting the server comes first; a browser flow takes tens of seconds.
    hookTimeout: 300_000,
    testTimeout: 180_000,
    fileParallelism: false,
  },
})
