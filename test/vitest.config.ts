import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` mirrors pipeline/ (no Astro build, no browser; the CLI in a child process
 * only where the command itself is under test) and `e2e` (Astro builds, Chromium, the chaos test).
 * `npm test` runs both; `npx vitest run --config test/vitest.config.ts --project unit` runs one.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
