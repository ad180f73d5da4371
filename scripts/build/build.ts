/**
 * `npm run build`: the command line around scripts/build/build-site.ts. It switches on Node's compile
 * cache in the build's cache directory before loading the build itself, so a rebuild does not
 * compile Astro, Vite, Shiki and our own modules again (about 0.5 s of every incremental build),
 * and it starts Astro loading first.
 */
import { writeFile } from 'node:fs/promises';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstroRunner } from './astro-runner.ts';
import { hasBuildState } from './build-state.ts';
import { hasKeptBundle } from './astro-bundle.ts';
import { parseBuildArgs, UsageError, type BuildOptions } from './cli-args.ts';
import { claimBuildPlaces } from './claim-places.ts';
import type { BuildResult, BuildSummary } from './build-site.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Astro 7 needs Node 22.12+, and running our TypeScript directly needs 22.18+; npm scripts run the project's pinned Node. */
function nodeIsSupported(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/**
 * Caches the compiled code of every module this process loads from now on, in `<cache>/node`.
 * Set in the environment as well, so the highlighting workers and Pagefind's Node side use it too.
 * A NODE_COMPILE_CACHE already set is Node's own setting, chosen by whoever runs the build (the
 * test suite shares one between its hundreds of builds, each with a fresh --cache): Node has then
 * enabled it at startup, for every thread, and it is left as it is.
 */
function enableCompileCache(cacheDir: string): void {
  if (process.env.NODE_COMPILE_CACHE) return;
  const directory = path.resolve(cacheDir, 'node');
  process.env.NODE_COMPILE_CACHE = directory;
  module.enableCompileCache?.(directory);
}

function describe(result: BuildSummary, options: BuildOptions, seconds: string): string {
  const where = options.contentOnly ? path.join(options.cacheDir, 'data') : options.outDir;
  const changed = result.pagesRendered ? `; ${result.pagesRendered} changed branch pages rebuilt` : '; no branch page changed, the feed and summary pages rebuilt';
  const pages = { all: '', changed, none: options.contentOnly ? '' : '; no page changed' }[result.pages];
  const reused = result.rendered < result.branches ? ` (${result.branches - result.rendered} unchanged)` : '';
  return `review-archive: built ${result.branches} ${result.branches === 1 ? 'branch' : 'branches'}${reused} from ${options.contentDir} into ${where} in ${seconds}s${pages}`;
}

async function main(): Promise<number> {
  if (!nodeIsSupported()) {
    console.error(`review-archive: Node ${process.versions.node} is too old (22.18 or newer is needed). Run the build through npm (npm run build), which uses the Node this project pins in node_modules/.bin.`);
    return 2;
  }
  let options: BuildOptions;
  try {
    options = parseBuildArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof UsageError ? error.message : `review-archive: ${(error as Error).message}`);
    return error instanceof UsageError && error.helpAsked ? 0 : 2;
  }
  const started = performance.now();
  const claim = await claimBuildPlaces(options, PROJECT_ROOT);
  if (!claim.ok) {
    for (const message of claim.messages) console.error(`review-archive: ${message}`);
    return 2;
  }
  for (const note of claim.notes) console.error(`review-archive: note: ${note}`);
  try {
    return await buildClaimed(options, started);
  } finally {
    claim.release();
  }
}

async function buildClaimed(options: BuildOptions, started: number): Promise<number> {
  enableCompileCache(options.cacheDir);
  const astro = options.contentOnly ? undefined : new AstroRunner();
  // Astro loads while the build itself does (see AstroRunner).
  if (astro) astro.preload(hasBuildState(options.cacheDir) && hasKeptBundle(path.join(options.cacheDir, 'astro')));
  const [{ build }, { formatReport }] = await Promise.all([import('./build-site.ts'), import('./report.ts')]);
  let result: BuildResult;
  try {
    result = await build(options, astro);
  } catch (error) {
    // Not the archive's fault (the archive validated): a bug or an environment problem. The old site stays.
    console.error(`review-archive: the site build failed; ${options.outDir} was left as it was.\n${(error as Error).stack ?? String(error)}`);
    return 2;
  }
  if (!result.ok) {
    console.error(formatReport(result.problems));
    return 1;
  }
  for (const note of result.notes) console.error(`review-archive: note: ${note}`);
  console.log(describe(result, options, ((performance.now() - started) / 1000).toFixed(1)));
  if (process.env.REVIEW_ARCHIVE_STATS) {
    // For `npm run bench`: what this build did and its peak memory (all threads), in one JSON line.
    await writeFile(process.env.REVIEW_ARCHIVE_STATS, JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS }));
  }
  return 0;
}

process.exitCode = await main();
