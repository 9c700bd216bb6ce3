import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // End-to-end tests spawn `node dist/index.js` processes against a local sandbox.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
