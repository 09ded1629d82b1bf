import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Every suite starts its own sandbox on a random loopback port; the Okta SDK must not read
    // the developer's ~/.okta/okta.yaml, proxy variables or OKTA_CLIENT_* (see test/setup.ts).
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
