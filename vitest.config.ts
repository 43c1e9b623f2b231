import { configDefaults, defineConfig } from 'vitest/config';

// One `npm test` runs every project. `api`, `db` and `e2e` share one local
// stack started by the global setup on its own ports and data directory.
// The e2e journeys (tests/e2e/journeys/) each start their own stack, Vite and
// Chromium (tests/e2e/harness.ts), so they are a project of their own.
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
          exclude: [...configDefaults.exclude, 'tests/e2e/journeys/**'],
          globalSetup: ['tests/setup/stack.global.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // A journey is a whole stack (Postgres, gateway, edge functions) plus Vite
          // plus Chromium: two at once, or one beside the `stack` project's files,
          // overload a 2-CPU machine and time out. So journeys run one file at a time
          // (fileParallelism: false) and only after every other project has finished
          // (groupOrder 1; the others are 0). They need no global setup. Timeouts are
          // set in each file (harness JOURNEY_START_TIMEOUT and per test).
          name: 'journeys',
          environment: 'node',
          include: ['tests/e2e/journeys/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
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
