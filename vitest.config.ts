import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `npm test` (`vitest run`); pick one with `--project <name>`.
 * - unit:  pure functions of the pipeline, fast.
 * - build: fixture archives built by scripts/build/build.ts; each build takes tens of seconds.
 * - e2e:   the bundled sample archive, built once by the global setup, served on 127.0.0.1
 *          and checked in the system Chromium.
 */

// Never collect tests from dependencies or from anything a build wrote.
const exclude = [...configDefaults.exclude, '**/node_modules/**', '**/dist/**', '**/.review-archive/**', '**/.astro/**'];

// Projects run one after the other, cheapest first. Group orders start at 1: with a single worker
// (2 cores), Vitest moves projects of order 0 into a group of their own that runs last.
export default defineConfig({
  test: {
    exclude,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Two files at a time: unit tests are light, and one core would sit idle.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'build',
          include: ['test/build/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Builds run Astro and Shiki: run them after the unit tests, not next to the e2e build.
          sequence: { groupOrder: 2 },
          // Two files at a time: a build of a small fixture is mostly one thread (Astro, Pagefind,
          // starting Node), and other files wait on git, a dev server or a browser.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Two files at a time, and tests marked concurrent (independent pages) two at a time:
          // the work is mostly in Chromium's renderer processes, one per page, while the runner
          // waits, so one file at a time left a core idle (CI took over 20 minutes).
          maxWorkers: 2,
          maxConcurrency: 2,
          globalSetup: ['test/support/e2e-setup.ts'],
          testTimeout: 90_000,
          // The base-path suite builds the site a second time in its `beforeAll`.
          hookTimeout: 300_000,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
