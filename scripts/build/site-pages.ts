import { linkSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AstroBuildOutcome, AstroRunner } from './astro-runner.ts';
import { bundleKey, keptBundleDir } from './astro-bundle.ts';
import { buildSearchIndexOffThread, SHARD_LIST } from '../search/build-index.ts';
import { FEED_FOLDERS } from '../../src/lib/feed.ts';
import { SITE_MARKER } from './output-guard.ts';
import { scratchFolders, swapInto } from './site-swap.ts';
import { spliceCiPages } from './splice-logs.ts';
import type { KnownFile } from './site-snapshot.ts';
import { placeFileSync } from '../logs/lane-log.ts';

/**
 * Runs Astro over the site data, and Pagefind over the search documents beside it, and puts the
 * result in place. The new site is assembled beside the output directory and swapped in whole, so
 * a failed build leaves the previous site untouched.
 *
 * A partial build renders only the branch pages in `onlyBranches` (plus the feed and the other
 * small pages); every other file is carried over from the previous site by hard link, which is
 * safe because no file of a finished site is ever written in place. A search index shard is
 * written anew whenever one of its branches changed: Pagefind cannot update an index in place.
 */
export interface PagesOptions {
  /** Astro, loading in its thread since the build began (scripts/build/astro-runner.ts). */
  astro: AstroRunner;
  outDir: string;
  base: string;
  dataDir: string;
  astroCacheDir: string;
  siteUrl?: string;
  /** Every branch of the site, for the search index. */
  branchIds: number[];
  /** Render only these branch pages and keep the rest of `outDir`; undefined renders everything. */
  onlyBranches?: number[];
  /** Branch pages to drop from the previous site in a partial build. */
  removedBranches?: number[];
  /** In a partial build: the feed's pages read as before (no summary changed), so keep them. */
  keepFeed?: boolean;
  /** Astro's content store already holds this build's collections (see AstroBuildRequest.syncContent). */
  contentStoreIsCurrent?: boolean;
  /** In a partial build: the search index shards to write again; the others are kept. */
  searchShards?: ReadonlySet<string>;
  /**
   * In a partial build: recreates the previous site in the given folder, when it is not in
   * `outDir` (scripts/build/site-snapshot.ts). By default `outDir` is mirrored.
   */
  previousSite?: (into: string) => Promise<void>;
  /** The pipeline's fingerprint (scripts/build/build-state.ts): with it, Astro's server bundle is kept for the next build. */
  toolFingerprint?: string;
  /** Astro's build of every page, already started by startAllPages while the site data was made. */
  started?: StartedPages;
}

/** What Astro needs to know of a build before the site data is made, to render every page of it. */
export type AllPagesOptions = Pick<PagesOptions, 'astro' | 'outDir' | 'base' | 'dataDir' | 'astroCacheDir' | 'siteUrl' | 'toolFingerprint'>;

/** Astro's build of every page, waiting for the site data (AstroBuildRequest.waitForData). */
export interface StartedPages {
  outcome: Promise<AstroBuildOutcome>;
  /** Tells Astro the site data is written: it syncs the content and renders. */
  dataWritten(): void;
}

/**
 * Starts Astro's build of every page of the site (a first build: no previous site to keep, no
 * content store to keep) before the site data is made: Astro loads its configuration, sets up its
 * content sync and loads src/content.config.ts (with the schemas it imports) while the archive is
 * highlighted, and waits for the data there. Pass the result to buildPages as `started`, with the
 * same options. Nothing is written to the output's folders until the data is.
 */
export async function startAllPages(options: AllPagesOptions): Promise<StartedPages> {
  const renderDir = `${path.resolve(options.outDir)}.rendering`;
  await rm(renderDir, { recursive: true, force: true });
  const outcome = runAstro({ ...options, branchIds: [], waitForData: true }, renderDir);
  // Awaited in buildPages; a build that stops before (the archive had problems) must not leave it unhandled.
  outcome.catch(() => undefined);
  return { outcome, dataWritten: () => options.astro.dataWritten() };
}

export interface PagesResult {
  /** Branches in the written search shards, and the wall time Pagefind took (it overlaps Astro's), in ms. */
  search: { branches: number; ms: number };
  /** How Astro rendered: with a server bundle Vite made this time, or with the one kept from an earlier build. */
  astro: AstroBuildOutcome;
  /** The CI pages the logs were spliced into, by path below the site, with their hashes (for the site's snapshot). */
  splicedPages: Map<string, KnownFile>;
}

export async function buildPages(options: PagesOptions): Promise<PagesResult> {
  const outDir = path.resolve(options.outDir);
  const renderDir = `${outDir}.rendering`;
  const stagingDir = `${outDir}.staging`;
  const indexDir = `${outDir}.pagefind`;
  const scratch = [renderDir, stagingDir, indexDir];
  // A started Astro build may be writing its folder already (startAllPages emptied it first).
  await Promise.all(scratch.filter((dir) => !options.started || dir !== renderDir).map((dir) => rm(dir, { recursive: true, force: true })));
  try {
    // Pagefind indexes in a process of its own, on the other core while Astro renders, driven
    // from a thread of its own. Its own folder: Astro may clear its output folder when it starts.
    const onlyShards = options.onlyBranches ? options.searchShards : undefined;
    const indexing = timed(() => buildSearchIndexOffThread({ dataDir: options.dataDir, branchIds: options.branchIds, outputPath: indexDir, onlyShards }));
    // A partial build lays the new pages over a mirror of the previous site, made meanwhile.
    const mirroring = options.onlyBranches ? (options.previousSite ?? (async (into: string) => linkTree(outDir, into)))(stagingDir) : Promise.resolve();
    const [astro, search] = await settleAll([options.started?.outcome ?? runAstro(options, renderDir), indexing, mirroring] as const);
    await rename(indexDir, path.join(renderDir, 'pagefind'));
    const splicedPages = await spliceCiPages(renderDir, options.dataDir);
    await placeAssets(options, renderDir);
    if (options.onlyBranches) {
      for (const id of options.removedBranches ?? []) await rm(path.join(stagingDir, 'branch', String(id)), { recursive: true, force: true });
      // A rebuilt branch's file pages (page-budget.ts) are all rendered again, so none of the old
      // ones may linger: its diff may now have fewer files, or keep more of them on its page.
      await Promise.all(options.onlyBranches.map((id) => rm(path.join(stagingDir, 'branch', String(id), 'files'), { recursive: true, force: true })));
      // Replaced whole, never overlaid: a rewritten shard's old fragments would linger beside the
      // new ones, and so would the page of a filter value no branch has any more.
      const shardsNow = new Set(search.value.shards);
      const oldShards = await readdir(path.join(stagingDir, 'pagefind')).catch(() => [] as string[]);
      const staleShards = oldShards.filter((name) => name !== SHARD_LIST && (!shardsNow.has(name) || search.value.written.includes(name)));
      const replacedWhole = [...staleShards.map((name) => path.join('pagefind', name)), ...(options.keepFeed ? [] : FEED_FOLDERS)];
      await Promise.all(replacedWhole.map((name) => rm(path.join(stagingDir, name), { recursive: true, force: true })));
      await moveTreeOver(renderDir, stagingDir);
      await rm(renderDir, { recursive: true, force: true });
    } else {
      await rename(renderDir, stagingDir);
    }
    await swapInto(stagingDir, outDir);
    return { search: { branches: search.value.branches, ms: search.ms }, astro, splicedPages };
  } catch (error) {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
}

/**
 * Every result, once all have finished: a failure of one must not start the clean-up while the
 * others are still writing files.
 */
async function settleAll<T extends readonly unknown[]>(work: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** What astro.config.mjs and the pages (src/lib/data.ts) read from the environment. */
function runAstro(options: PagesOptions & { waitForData?: boolean }, renderDir: string): Promise<AstroBuildOutcome> {
  const partial = options.onlyBranches !== undefined;
  const environment = {
    REVIEW_ARCHIVE_DATA: options.dataDir,
    REVIEW_ARCHIVE_OUT: renderDir,
    REVIEW_ARCHIVE_BASE: options.base,
    REVIEW_ARCHIVE_ASTRO_CACHE: options.astroCacheDir,
    REVIEW_ARCHIVE_SITE: options.siteUrl,
    REVIEW_ARCHIVE_ONLY_BRANCHES: options.onlyBranches?.join(','),
    REVIEW_ARCHIVE_KEEP_FEED: partial && options.keepFeed ? '1' : undefined,
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  const bundle = options.toolFingerprint === undefined ? undefined : { dir: keptBundleDir(options.astroCacheDir), key: bundleKey(options.toolFingerprint, environment), storeFile: contentStoreFile(options.astroCacheDir) };
  return options.astro.build({ environment, syncContent: !options.contentStoreIsCurrent, workDir: path.join(options.astroCacheDir, 'work'), bundle, waitForData: options.waitForData });
}

/** The file in which Astro keeps the content collections between builds, in its cache directory. */
export function contentStoreFile(astroCacheDir: string): string {
  return path.join(astroCacheDir, 'data-store.json');
}

/**
 * Puts each rendered branch's images (see site-data.ts publishAssets) and whole logs' text next to
 * its page, by hard link where it can (a copy where links cannot go, as for the site's snapshot):
 * the whole logs are most of a site's bytes with CI logs (200 MiB of the bench's corpus), which a
 * copy wrote once more. Safe since no build writes a file of the site or of the site data in place;
 * the data's files are checked by hash before a build reuses them, and so are the logs' cached text.
 */
async function placeAssets(options: PagesOptions, renderDir: string): Promise<void> {
  const assetsDir = path.join(options.dataDir, 'assets');
  const ids = options.onlyBranches?.map(String) ?? (await readdir(assetsDir).catch(() => []));
  for (const id of ids) {
    const from = path.join(assetsDir, id);
    if (await stat(from).catch(() => undefined)) linkTreeOver(from, path.join(renderDir, 'branch', id));
  }
  // Nightly jobs' whole logs (scripts/build/site-data.ts), beside their pages; always written, as those pages are.
  const nightlyAssets = path.join(options.dataDir, 'nightly-assets');
  if (await stat(nightlyAssets).catch(() => undefined)) linkTreeOver(nightlyAssets, path.join(renderDir, 'nightly'));
}

/** linkTree into a folder that may have files already: one of the same name is replaced (as `cp` did), never written through. */
function linkTreeOver(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTreeOver(source, target);
    else placeFileSync(source, target);
  }
}

/**
 * Puts a site recreated by `make` (in a folder beside `outDir`) in place of `outDir`, with the same
 * swap as a build, for a build whose pages all come from elsewhere (scripts/build/site-snapshot.ts).
 */
export async function placeSite(outDir: string, make: (into: string) => Promise<void>): Promise<void> {
  const stagingDir = scratchFolders(path.resolve(outDir)).staging;
  await rm(stagingDir, { recursive: true, force: true });
  try {
    await make(stagingDir);
    await swapInto(stagingDir, path.resolve(outDir));
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Mirrors `from` into `to` with hard links (no bytes copied). Synchronous on purpose: a site is
 * thousands of tiny links and folders, and through the thread pool each one costs a hand-off and a
 * promise; on cobra's site (1,414 files, 854 folders) 0.15 s of CPU against 0.3 s. Nothing else
 * needs this thread meanwhile: Astro and Pagefind run in threads of their own.
 */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    // Not the marker: a staged site is complete only once its own marker is written (site-swap.ts).
    if (entry.name === SITE_MARKER) continue;
    if (entry.isDirectory()) linkTree(path.join(from, entry.name), path.join(to, entry.name));
    else linkSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/** Moves every file of `from` into `to`, replacing files there (unlinking first, never writing through a link). */
async function moveTreeOver(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      const existing = await stat(target).catch(() => undefined);
      if (existing && !existing.isDirectory()) await rm(target);
      // A folder new to the site (say, a rewritten search shard) moves in one step.
      if (existing?.isDirectory()) await moveTreeOver(source, target);
      else await rename(source, target);
    } else {
      await rm(target, { recursive: true, force: true });
      await rename(source, target);
    }
  }
}
