import { cp, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildSearchIndex, SHARD_LIST } from './search/build-index.ts';
import { FEED_FOLDERS } from '../src/lib/feed.ts';

/**
 * Runs Astro over the site data, and Pagefind over the search records beside it, and puts the
 * result in place. The new site is assembled beside the output directory and swapped in whole, so
 * a failed build leaves the previous site untouched.
 *
 * A partial build renders only the branch pages in `onlyBranches` (plus the feed and the other
 * small pages); every other file is carried over from the previous site by hard link, which is
 * safe because no file of a finished site is ever written in place. The search index is always
 * made anew from every branch's records: Pagefind cannot update an index in place.
 */
export interface PagesOptions {
  projectRoot: string;
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
  /** In a partial build: the search index shards to write again; the others are kept. */
  searchShards?: ReadonlySet<string>;
}

export interface PagesResult {
  /** Records in the search index, and the wall time Pagefind took (it overlaps Astro's), in ms. */
  search: { records: number; ms: number };
}

export async function buildPages(options: PagesOptions): Promise<PagesResult> {
  const outDir = path.resolve(options.outDir);
  const renderDir = `${outDir}.rendering`;
  const stagingDir = `${outDir}.staging`;
  const indexDir = `${outDir}.pagefind`;
  const scratch = [renderDir, stagingDir, indexDir];
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  try {
    // Pagefind indexes in a process of its own, on the other core while Astro renders. Its own
    // folder: Astro may clear its output folder when it starts.
    const onlyShards = options.onlyBranches ? options.searchShards : undefined;
    const indexing = timed(() => buildSearchIndex({ dataDir: options.dataDir, branchIds: options.branchIds, outputPath: indexDir, onlyShards }));
    const [, search] = await settleBoth(runAstro(options, renderDir), indexing);
    await rename(indexDir, path.join(renderDir, 'pagefind'));
    await placeAssets(options, renderDir);
    if (options.onlyBranches) {
      await linkTree(outDir, stagingDir);
      for (const id of options.removedBranches ?? []) await rm(path.join(stagingDir, 'branch', String(id)), { recursive: true, force: true });
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
    return { search: { records: search.value.records, ms: search.ms } };
  } catch (error) {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
}

/**
 * Both results, once both have finished: a failure of one must not start the clean-up while the
 * other is still writing files.
 */
async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function runAstro(options: PagesOptions, renderDir: string): Promise<void> {
  Object.assign(process.env, {
    REVIEW_ARCHIVE_DATA: options.dataDir,
    REVIEW_ARCHIVE_OUT: renderDir,
    REVIEW_ARCHIVE_BASE: options.base,
    REVIEW_ARCHIVE_ASTRO_CACHE: options.astroCacheDir,
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  if (options.onlyBranches) process.env.REVIEW_ARCHIVE_ONLY_BRANCHES = options.onlyBranches.join(',');
  else delete process.env.REVIEW_ARCHIVE_ONLY_BRANCHES;
  if (options.onlyBranches && options.keepFeed) process.env.REVIEW_ARCHIVE_KEEP_FEED = '1';
  else delete process.env.REVIEW_ARCHIVE_KEEP_FEED;
  if (options.siteUrl) process.env.REVIEW_ARCHIVE_SITE = options.siteUrl;
  else delete process.env.REVIEW_ARCHIVE_SITE;
  const { build } = await import('astro');
  await build({ root: options.projectRoot, logLevel: 'warn' });
}

/** Puts each rendered branch's images (see site-data.ts publishAssets) next to its page. */
async function placeAssets(options: PagesOptions, renderDir: string): Promise<void> {
  const assetsDir = path.join(options.dataDir, 'assets');
  const ids = options.onlyBranches?.map(String) ?? (await readdir(assetsDir).catch(() => []));
  for (const id of ids) {
    const from = path.join(assetsDir, id);
    if (await stat(from).catch(() => undefined)) await cp(from, path.join(renderDir, 'branch', id), { recursive: true });
  }
}

/** Swap: the previous site stays whole until the new one is complete. */
async function swapInto(stagingDir: string, outDir: string): Promise<void> {
  const retiredDir = `${outDir}.previous`;
  await rm(retiredDir, { recursive: true, force: true });
  await rename(outDir, retiredDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(stagingDir, outDir);
  await rm(retiredDir, { recursive: true, force: true });
}

/** Mirrors `from` into `to` with hard links (no bytes copied). */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else await link(source, target);
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
      await moveTreeOver(source, target);
    } else {
      await rm(target, { recursive: true, force: true });
      await rename(source, target);
    }
  }
}
