/**
 * `npm run build`: validate and render the archive into the site data (`<cache>/data`), then let
 * Astro render the pages into a directory that replaces the output only on success. Unchanged
 * branches are not rendered again, and only pages whose input changed are rebuilt.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashText, readBuildState, toolFingerprint, writeBuildState } from './build-state.ts';
import { normalizeBase, parseBuildArgs, UsageError, type BuildOptions } from './cli-args.ts';
import { formatReport, type Problem } from './report.ts';
import { buildSiteData } from './site-data.ts';
import { buildPages } from './site-pages.ts';
import { shardHashes } from './search/build-index.ts';
import { branchNeighbours } from './neighbours.ts';
import type { SiteBranchSummary } from './schema/site.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildSummary {
  branches: number;
  /** Branches rendered this time (the rest came unchanged from the last build). */
  rendered: number;
  /** Which pages Astro rendered: all, only the changed ones, or none because nothing changed. */
  pages: 'all' | 'changed' | 'none';
  pagesRendered: number;
  /** Wall time of each phase, in milliseconds; `search` (the search index) runs during `pages`. */
  timings: { data: number; pages: number; search?: number };
}

export type BuildResult = ({ ok: true } & BuildSummary) | { ok: false; problems: Problem[] };

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cacheDir = path.resolve(options.cacheDir);
  const dataDir = path.join(cacheDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const started = performance.now();
  const state = await readBuildState(cacheDir, await toolFingerprint(PROJECT_ROOT));

  const data = await buildSiteData(options.contentDir, dataDir, cacheDir, state);
  if (!data.ok) return data;

  const siteJson = JSON.stringify(data.site);
  const branchesJson = JSON.stringify(data.branches);
  const nightlyJson = JSON.stringify(data.nightly);
  const statsJson = JSON.stringify(data.siteStats);
  await Promise.all([
    writeFile(path.join(dataDir, 'site.json'), siteJson),
    writeFile(path.join(dataDir, 'branches.json'), branchesJson),
    writeFile(path.join(dataDir, 'nightly.json'), nightlyJson),
    writeFile(path.join(dataDir, 'stats.json'), statsJson),
    writeFile(path.join(dataDir, 'highlight.css'), data.highlightCss),
  ]);
  state.branches = data.nextBranches;
  state.classes = data.nextClasses;
  state.config = data.config;
  const dataDone = performance.now();
  const summary = { branches: data.branches.length, rendered: data.stats.rendered };
  let searchMs: number | undefined;
  const timings = () => ({ data: dataDone - started, pages: performance.now() - dataDone, search: searchMs });

  if (options.contentOnly) {
    await writeBuildState(cacheDir, state);
    return { ok: true, ...summary, pages: 'none', pagesRendered: 0, timings: timings() };
  }

  const outDir = path.resolve(options.outDir);
  // A site served at https://example.org/reviews/ lives under /reviews/ unless --base says otherwise.
  const base = options.base ?? normalizeBase(data.site.url ? new URL(data.site.url).pathname : '/');
  const pages = {
    outDir,
    base,
    site: hashText(siteJson),
    feed: hashText(`${branchesJson}\0${nightlyJson}`),
    stats: hashText(statsJson),
    css: hashText(data.highlightCss),
    neighbours: neighbourHashes(data.branches),
    search: shardHashes(new Map(Object.entries(data.nextBranches).map(([id, entry]) => [Number(id), entry.output])), hashText),
  };
  const previous = state.pages;
  // The previous site can be kept only if it is there, for the same place, base and site facts.
  const reusable = previous && previous.outDir === outDir && previous.base === pages.base && previous.site === pages.site && existsSync(path.join(outDir, 'index.html'));
  // A page shows its neighbours' names, so it is rebuilt when they change, even if its own branch did not.
  const changedPages = reusable ? Object.keys(pages.neighbours).map(Number).filter((id) => data.changedIds.includes(id) || previous.neighbours?.[id] !== pages.neighbours[id]) : [];
  let result: Omit<BuildSummary, 'timings'>;
  if (reusable && !changedPages.length && !data.removedIds.length && previous.feed === pages.feed && previous.stats === pages.stats && previous.css === pages.css) {
    result = { ...summary, pages: 'none', pagesRendered: 0 };
  } else {
    const built = await buildPages({
      projectRoot: PROJECT_ROOT,
      outDir,
      base,
      dataDir,
      astroCacheDir: path.join(cacheDir, 'astro'),
      siteUrl: data.site.url,
      branchIds: data.branches.map((branch) => branch.id),
      onlyBranches: reusable ? changedPages : undefined,
      removedBranches: data.removedIds,
      keepFeed: reusable && previous.feed === pages.feed,
      searchShards: new Set(Object.keys(pages.search).filter((shard) => previous?.search?.[shard] !== pages.search[shard])),
    });
    searchMs = built.search.ms;
    result = reusable ? { ...summary, pages: 'changed', pagesRendered: changedPages.length } : { ...summary, pages: 'all', pagesRendered: data.branches.length };
  }
  state.pages = pages;
  await writeBuildState(cacheDir, state);
  return { ok: true, ...result, timings: timings() };
}

/** Per branch id, a hash of what its page shows of the branches before and after it. */
function neighbourHashes(branches: SiteBranchSummary[]): Record<string, string> {
  return Object.fromEntries([...branchNeighbours(branches)].map(([id, neighbours]) => [id, hashText(JSON.stringify(neighbours))]));
}

/** Astro 7 needs Node 22.12+, and running our TypeScript directly needs 22.18+; npm scripts run the project's pinned Node. */
function nodeIsSupported(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
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
    return error instanceof UsageError ? 0 : 2;
  }
  const started = performance.now();
  let result: BuildResult;
  try {
    result = await build(options);
  } catch (error) {
    // Not the archive's fault (the archive validated): a bug or an environment problem. The old site stays.
    console.error(`review-archive: the site build failed; ${options.outDir} was left as it was.\n${(error as Error).stack ?? String(error)}`);
    return 2;
  }
  if (!result.ok) {
    console.error(formatReport(result.problems));
    return 1;
  }
  console.log(describe(result, options, ((performance.now() - started) / 1000).toFixed(1)));
  if (process.env.REVIEW_ARCHIVE_STATS) {
    // For `npm run bench`: what this build did and its peak memory (all threads), in one JSON line.
    await writeFile(process.env.REVIEW_ARCHIVE_STATS, JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS }));
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
