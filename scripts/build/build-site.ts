/**
 * The build behind `npm run build` (scripts/build/build.ts): validate and render the archive into the
 * site data (`<cache>/data`), then let Astro render the pages into a directory that replaces the
 * output only on success. Unchanged branches are not rendered again, and only pages whose input
 * changed are rebuilt.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashText, readBuildState, toolFingerprint, writeBuildState, type BuildState } from './build-state.ts';
import { normalizeBase, type BuildOptions } from './cli-args.ts';
import type { Problem } from './report.ts';
import { buildSiteData } from './site-data.ts';
import { AstroRunner } from './astro-runner.ts';
import { buildPages, contentStoreFile, placeSite, startAllPages, type StartedPages } from './site-pages.ts';
import { openSiteSnapshot, restoreSiteSnapshot, saveSiteSnapshot, type KnownFile } from './site-snapshot.ts';
import { shardHashes } from '../search/build-index.ts';
import { branchNeighbours } from './neighbours.ts';
import type { SiteBranchSummary, SiteInfo } from '../schema/site.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Up to how many characters of diff a first build starts Astro's build before highlighting
 * (startAllPages). Astro's sync set-up, held through the highlighting, meets the workers' memory at
 * its peak, the end of the data phase: pika's history (28.5 million characters, 690,000 diff lines,
 * many grammars) peaked at 967-1,000 MiB with it against 886-925 MiB without, near the 1 GiB
 * target, and its 16-31 s data phase gained nothing measurable; the bench's default corpus (15.7
 * million characters) peaked at 768 MiB against 758 MiB, its pages phase 1.3 s shorter.
 */
const EARLY_PAGES_MAX_DIFF_CHARS = 20_000_000;

export interface BuildSummary {
  branches: number;
  /** Branches rendered this time (the rest came unchanged from the last build). */
  rendered: number;
  /** Which pages Astro rendered: all, only the changed ones, or none because nothing changed. */
  pages: 'all' | 'changed' | 'none';
  pagesRendered: number;
  /** When Astro ran: whether Vite bundled the site's templates, or the bundle kept from an earlier build was used (scripts/build/astro-bundle.ts). */
  astroBundle?: 'made' | 'reused';
  /** One-line notes: damaged cache entries that were rebuilt. */
  notes: string[];
  /** Wall time of each phase, in milliseconds; `search` (the search index) runs during `pages`. */
  timings: { data: number; pages: number; search?: number };
}

export type BuildResult = ({ ok: true } & BuildSummary) | { ok: false; problems: Problem[] };

/** Builds the site; `astro` may come already loading (scripts/build/build.ts starts it early). */
export async function build(options: BuildOptions, astro = options.contentOnly ? undefined : new AstroRunner()): Promise<BuildResult> {
  try {
    return await buildWith(options, astro);
  } finally {
    astro?.stop();
  }
}

async function buildWith(options: BuildOptions, astro: AstroRunner | undefined): Promise<BuildResult> {
  const cacheDir = path.resolve(options.cacheDir);
  const dataDir = path.join(cacheDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const started = performance.now();
  const fingerprint = await toolFingerprint(PROJECT_ROOT);
  const { state, note: stateNote } = await readBuildState(cacheDir, fingerprint);

  const outDir = path.resolve(options.outDir);
  const astroCacheDir = path.join(cacheDir, 'astro');
  // A first build renders every page, so Astro's build can start as soon as the archive has
  // validated: its set-up and content sync's own (about 0.5 s of CPU, 1.5 to 2.4 s on a loaded
  // machine) then overlap the highlighting instead of following it. It waits for the data. Not on
  // the largest archives (EARLY_PAGES_MAX_DIFF_CHARS), for memory.
  let starting: Promise<StartedPages> | undefined;
  const startEarly =
    astro && !state.pages
      ? (site: SiteInfo, { diffChars }: { diffChars: number }) => {
          if (diffChars > EARLY_PAGES_MAX_DIFF_CHARS) return;
          starting = startAllPages({ astro, outDir, base: siteBase(options, site), dataDir, astroCacheDir, siteUrl: site.url, toolFingerprint: fingerprint });
          starting.catch(() => undefined);
        }
      : undefined;
  const data = await buildSiteData(options.contentDir, dataDir, cacheDir, state, startEarly);
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
  const earlyPages = await starting;
  earlyPages?.dataWritten();
  state.branches = data.nextBranches;
  state.classes = data.nextClasses;
  state.config = data.config;
  const dataDone = performance.now();
  const summary = { branches: data.branches.length, rendered: data.stats.rendered, notes: [...(stateNote ? [stateNote] : []), ...data.notes] };
  let searchMs: number | undefined;
  const timings = () => ({ data: dataDone - started, pages: performance.now() - dataDone, search: searchMs });

  if (!astro) {
    await writeBuildState(cacheDir, state);
    return { ok: true, ...summary, pages: 'none', pagesRendered: 0, timings: timings() };
  }

  const base = siteBase(options, data.site);
  const pages = {
    outDir,
    base,
    site: hashText(siteJson),
    // The nightly pages hang off the feed: their logs count as its input.
    feed: hashText(`${branchesJson}\0${nightlyJson}\0${data.nightlyLogsHash}`),
    stats: hashText(statsJson),
    css: hashText(data.highlightCss),
    neighbours: neighbourHashes(data.branches),
    search: shardHashes(new Map(Object.entries(data.nextBranches).map(([id, entry]) => [Number(id), entry.output])), hashText),
  };
  const previous = state.pages;
  // The previous site can be kept only if it was built with the same base and site facts, and is
  // still in --out or, failing that, whole in the cache's snapshot (a new --out, as on CI).
  const sameSite = previous && previous.base === pages.base && previous.site === pages.site;
  const inPlace = sameSite && previous.outDir === outDir && existsSync(path.join(outDir, 'index.html'));
  const snapshot = sameSite && !inPlace ? await openSiteSnapshot(cacheDir, previous.snapshot, summary.notes) : undefined;
  const reusable = previous !== undefined && (inPlace || snapshot !== undefined);
  // A page shows its neighbours' names, so it is rebuilt when they change, even if its own branch did not.
  const changedPages = reusable ? Object.keys(pages.neighbours).map(Number).filter((id) => data.changedIds.includes(id) || previous.neighbours?.[id] !== pages.neighbours[id]) : [];
  const keepFeed = Boolean(reusable && previous.feed === pages.feed);
  let result: Omit<BuildSummary, 'timings'>;
  let knownFiles: Map<string, KnownFile> | undefined;
  if (reusable && keepFeed && !changedPages.length && !data.removedIds.length && previous.stats === pages.stats && previous.css === pages.css) {
    if (snapshot) await placeSite(outDir, (into) => restoreSiteSnapshot(snapshot, into));
    result = { ...summary, pages: 'none', pagesRendered: 0 };
  } else {
    const built = await buildPages({
      astro,
      outDir,
      base,
      dataDir,
      astroCacheDir,
      siteUrl: data.site.url,
      branchIds: data.branches.map((branch) => branch.id),
      onlyBranches: reusable ? changedPages : undefined,
      removedBranches: data.removedIds,
      keepFeed,
      // The collections are made of site.json and branches.json: the same as last time (the site
      // and feed hashes say so), and the store Astro made of them untouched since, need no sync.
      contentStoreIsCurrent: keepFeed && previous?.contentStore !== undefined && previous.contentStore === (await fileHash(contentStoreFile(astroCacheDir))),
      searchShards: new Set(Object.keys(pages.search).filter((shard) => previous?.search?.[shard] !== pages.search[shard])),
      previousSite: snapshot && ((into) => restoreSiteSnapshot(snapshot, into)),
      toolFingerprint: fingerprint,
      started: earlyPages,
    });
    searchMs = built.search.ms;
    knownFiles = filesOfKnownHash(built.splicedPages, dataDir, data.nextBranches);
    const astroBundle = built.astro.bundle;
    if (built.astro.note) summary.notes.push(built.astro.note);
    result = reusable ? { ...summary, pages: 'changed', pagesRendered: changedPages.length, astroBundle } : { ...summary, pages: 'all', pagesRendered: data.branches.length, astroBundle };
  }
  state.pages = {
    ...pages,
    contentStore: result.pages === 'none' ? previous?.contentStore : await fileHash(contentStoreFile(astroCacheDir)),
    // An unchanged site is the snapshot already saved; any other is saved for the next build.
    snapshot: result.pages === 'none' && previous?.snapshot ? previous.snapshot : await saveSiteSnapshot(cacheDir, outDir, snapshot, knownFiles),
  };
  await writeBuildState(cacheDir, state);
  return { ok: true, ...result, timings: timings() };
}

/** A site served at https://example.org/reviews/ lives under /reviews/ unless --base says otherwise. */
function siteBase(options: BuildOptions, site: SiteInfo): string {
  return options.base ?? normalizeBase(site.url ? new URL(site.url).pathname : '/');
}

async function fileHash(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').then(hashText, () => undefined);
}

/** Per branch id, a hash of what its page shows of the branches before and after it. */
function neighbourHashes(branches: SiteBranchSummary[]): Record<string, string> {
  return Object.fromEntries([...branchNeighbours(branches)].map(([id, neighbours]) => [id, hashText(JSON.stringify(neighbours))]));
}

/**
 * Files of the site whose hashes the build has already: the CI pages it spliced, and each branch's
 * published files (`assets/<id>/…` in the site data, linked to `branch/<id>/…`: the whole logs'
 * text, the images), hashed when written or checked by hash when reused.
 */
function filesOfKnownHash(splicedPages: ReadonlyMap<string, KnownFile>, dataDir: string, branches: BuildState['branches']): Map<string, KnownFile> {
  const known = new Map(splicedPages);
  for (const [id, entry] of Object.entries(branches)) {
    const prefix = `assets/${id}/`;
    for (const [file, sha256] of Object.entries(entry.dataHashes)) {
      if (!file.startsWith(prefix)) continue;
      const found = statSync(path.join(dataDir, ...file.split('/')), { throwIfNoEntry: false });
      if (found) known.set(`branch/${id}/${file.slice(prefix.length)}`, { sha256, ino: found.ino, size: found.size });
    }
  }
  return known;
}
