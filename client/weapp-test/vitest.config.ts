import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The client folder, wherever vitest is started from.
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['weapp-test/**/*.test.ts'],
    // The production weapp build, once for every file.
    globalSetup: ['weapp-test/global-setup.ts'],
    hookTimeout: 300_000,
    testTimeout: 120_000,
    fileParallelism: false,
  },
})
