import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBuild } from './run-build.ts';

/** The project's root directory (where package.json is). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The archive the e2e tests build and read: the bundled sample, or E2E_CONTENT when set
 * (to try the e2e suite against another archive, e.g. `E2E_CONTENT=test/fixtures/archives/good`).
 */
export const sampleContentDir = path.resolve(projectRoot, process.env.E2E_CONTENT || 'content');

export interface BuildOptions {
  /** The archive to build; the bundled sample by default. */
  content?: string;
  /** Where the site goes (the build's `--out`). */
  out: string;
  /** The path the site will be served under (the build's `--base`), e.g. `/sub/dir/`. */
  base?: string;
  /**
   * The build's work directory (`--cache`). Tests pass their own temporary one, so a build
   * someone runs by hand in the same checkout (into ./.review-archive) cannot interfere.
   */
  cache?: string;
  /** Give up after this long; a build of the sample takes about half a minute. */
  timeoutMs?: number;
}

/** Lines of build output kept for an error message: enough to show the problem report. */
const OUTPUT_TAIL_LINES = 80;

/**
 * Builds an archive into a static site with the project's own entry point,
 * `node scripts/build/build.ts --content <dir> --out <dir> [--base <path>] [--cache <dir>]`, as
 * `npm run build` runs it. Rejects with the tail of the build's output when it fails.
 */
export async function buildSite(options: BuildOptions): Promise<void> {
  if (!existsSync(path.join(projectRoot, 'scripts/build/build.ts'))) throw new Error('Cannot build the site: scripts/build/build.ts does not exist yet.');
  const args = ['--content', options.content ?? sampleContentDir, '--out', options.out];
  if (options.base) args.push('--base', options.base);
  if (options.cache) args.push('--cache', options.cache);
  const run = await runBuild(args, options.timeoutMs ?? 5 * 60_000);
  if (run.code === 0) return;
  const tail = `${run.stdout}${run.stderr}`.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
  throw new Error(`The site build (node scripts/build/build.ts ${args.join(' ')}) exited with code ${run.code}. Its output ends with:\n${tail}`);
}
