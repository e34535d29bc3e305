import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database, so files may run side by side; sharing the module
    // graph between files saves most of the start-up time.
    isolate: false,
  },
})
