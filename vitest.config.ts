import { defineConfig } from 'vitest/config';

// One `npm test` runs every project. `api`, `db` and `e2e` share one local
// stack started by the global setup on its own ports and data directory.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'stack',
          environment: 'node',
          include: ['tests/db/**/*.test.ts', 'tests/api/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/setup/stack.global.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['tests/ui/**/*.test.tsx'],
          setupFiles: ['tests/setup/jsdom.ts'],
          server: { deps: { inline: [/@refinedev\//] } },
        },
      },
    ],
  },
});
