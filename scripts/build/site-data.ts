import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadArchive, loadBranch, mapLimited, type LoadedArchive, type LoadedBranch } from '../archive/load-archive.ts';
import { LogHashes } from '../archive/lane-logs.ts';
import { hashText, type BuildState } from './build-state.ts';
import { HighlightService } from '../render/highlight-service.ts';
import { DEFAULT_COLLAPSE_LINES } from '../render/collapse.ts';
import { renderBranch, toSiteRun } from '../render/render-branch.ts';
import { DEFAULT_PAGE_SIZE } from '../schema/archive.ts';
import { classesUsed, tokenClassCss, type TokenClass } from '../render/tokenizer.ts';
import type { Problem } from './report.ts';
import { resolveBranch, type ResolvedBranch } from './resolve-branch.ts';
import type { SiteBranch, SiteBranchSummary, SiteInfo, SiteNightlyJob } from '../schema/site.ts';
import { searchDocument } from '../search/document.ts';
import type { SiteStats } from '../schema/stats.ts';
import { computeStats } from '../stats/compute-stats.ts';
import { branchFacts } from '../stats/facts.ts';
import { LogRenderer } from '../logs/lane-log.ts';
import { LogPool } from '../logs/log-pool.ts';
import { logLimitsFor } from '../logs/log-view.ts';
import { logHtmlHashed, renderCiLogs } from '../logs/render-ci.ts';
import { reviewSummary } from '../discussion/render-discussion.ts';
import { displayPath, type DiffFile } from '../diff/types.ts';
import { languageForPath } from '../render/languages.ts';

/**
 * Characters of diff text whose parsed form a build keeps between checking and rendering (about 75 MB
 * parsed). Half of what it was: on microsoft/calculator's history (590,705 diff lines) the build's
 * largest process peaked at 907-936 MiB against 971-1,024 MiB in alternating cold builds, in the
 * same time (73-84 s either way; the branches past the budget are parsed a second time, which is cheap).
 */
const KEPT_DIFF_CHARS = 16_000_000;

export interface SiteData {
  site: SiteInfo;
  nightly: SiteNightlyJob[];
  /** The nightly jobs' rendered logs, by job slug (written to `<dataDir>/nightly/<slug>.json`). */
  nightlyLogsHash: string;
  /** Every branch's summary, by id. */
  branches: SiteBranchSummary[];
  /** The stats page's figures, from every branch's facts (unchanged branches' come from the state). */
  siteStats: SiteStats;
  /** The stylesheet for the token classes the highlighted code uses. */
  highlightCss: string;
  /** Branch ids whose page changed since the state's build, and ids that are gone. */
  changedIds: number[];
  removedIds: number[];
  /** The state to record once the whole build has succeeded. */
  nextBranches: BuildState['branches'];
  nextClasses: BuildState['classes'];
  config: string;
  stats: { rendered: number; reused: number };
  /** One-line notes for the user: cache entries found damaged and rebuilt. */
  notes: string[];
}

/**
 * Everything up to the site data: load and validate the archive, resolve evidence, render.
 * Each rendered branch goes to `<dataDir>/branches/<id>.json` as soon as it is done, so memory
 * holds one branch's HTML at a time, and what search knows of it to `<dataDir>/search/<id>.json`.
 * A branch whose folder is unchanged since the last build (same digest, its files still there)
 * is neither resolved nor rendered again.
 */
export async function buildSiteData(
  contentDir: string,
  dataDir: string,
  cacheDir: string,
  state: BuildState,
  /** Called once the archive has validated, before anything is rendered, with the site's facts and how much diff text is to be rendered. */
  onValid?: (site: SiteInfo, toRender: { diffChars: number }) => void,
): Promise<({ ok: true } & SiteData) | { ok: false; problems: Problem[] }> {
  const highlighter = new HighlightService({ cacheDir: path.join(cacheDir, 'highlight') });
  // A first build highlights every branch: its workers start now and load their modules while this
  // thread reads and checks the archive (about 4 s on ky's, when they used to start after it).
  // A later build may find everything in the cache, and then starts none.
  if (!Object.keys(state.branches).length) highlighter.startWorkers();
  try {
    return await siteDataWith(contentDir, dataDir, cacheDir, state, highlighter, onValid);
  } finally {
    await highlighter.close();
  }
}

async function siteDataWith(
  contentDir: string,
  dataDir: string,
  cacheDir: string,
  state: BuildState,
  highlighter: HighlightService,
  onValid?: (site: SiteInfo, toRender: { diffChars: number }) => void,
): Promise<({ ok: true } & SiteData) | { ok: false; problems: Problem[] }> {
  const knownFolders = new Map(Object.values(state.branches).map((entry) => [entry.folder, entry]));
  // Logs are hashed for the branch's digest; one unchanged since the last build is not read again.
  const logHashesFile = path.join(cacheDir, 'logs', 'hashes.json');
  const logHashes = await LogHashes.load(logHashesFile);
  const { archive, problems } = await loadArchive(contentDir, knownFolders, logHashes);
  const branchDir = path.join(dataDir, 'branches');
  const searchDir = path.join(dataDir, 'search');
  // What the content build keeps of a branch: the page's data, the search document and the CI logs.
  const ciDir = path.join(dataDir, 'ci');
  // A folder of its own for the CI logs' HTML: links to the log cache's entries (render-ci.ts).
  const dataFiles = (id: number) => [path.join(branchDir, `${id}.json`), path.join(searchDir, `${id}.json`), path.join(ciDir, `${id}.json`), path.join(ciDir, String(id))];
  // authors.yaml names people on every page with a discussion, so it counts as settings too.
  const config = archive && hashText(JSON.stringify(Object.keys(archive.authors).length ? [archive.config, archive.authors] : archive.config));
  // A branch is reused only if every file it keeps in the cache is byte for byte as written (a
  // full disk, a crash or a hand edit may have changed one since): checked by hash, all at once.
  const candidates = [...(archive?.unchanged ?? []).map((branch) => ({ id: branch.id, digest: branch.digest })), ...(archive?.branches ?? []).map((branch) => ({ id: branch.front.id, digest: branch.digest }))];
  const damage = await mapLimited(
    candidates.filter(({ id, digest }) => state.branches[id]?.digest === digest && state.config === config),
    8,
    async ({ id }) => ({ id, damage: await cacheDamage(dataDir, id, state.branches[id]!.dataHashes) }),
  );
  const intact = new Set(damage.filter((entry) => !entry.damage).map((entry) => entry.id));
  const notes = damageNotes(damage.flatMap((entry) => (entry.damage ? [{ id: entry.id, ...entry.damage, file: path.relative(cacheDir, path.join(dataDir, entry.damage.file)) }] : [])));
  const reusable = (id: number, digest: string) => state.branches[id]?.digest === digest && state.config === config && intact.has(id);
  /** Branches whose data is reused, with where their files are now. */
  const reused: Array<{ id: number; folder: string; signature: string }> = [];
  const toResolve: LoadedBranch[] = [...(archive?.branches ?? [])];
  // A folder that was not even read is reused too, unless the settings or its data file changed.
  for (const branch of archive?.unchanged ?? []) {
    if (reusable(branch.id, branch.digest)) reused.push(branch);
    else {
      const loaded = await loadBranch(path.resolve(contentDir, 'branches', branch.folder), problems, branch.signature, logHashes);
      if (loaded) toResolve.push(loaded);
    }
  }
  // First every changed branch is resolved, so that all problems are reported before anything is
  // rendered. Parsed diffs are kept for the rendering only up to a budget; past it (archives of
  // thousands of branches) a branch is parsed again when its turn comes, so memory stays bounded.
  const toRender: Array<{ loaded: LoadedBranch; resolved?: ResolvedBranch }> = [];
  let keptChars = 0;
  for (const branch of toResolve) {
    if (reusable(branch.front.id, branch.digest)) {
      reused.push({ id: branch.front.id, folder: branch.folder, signature: branch.signature });
      continue;
    }
    const result = resolveBranch(branch, await branch.readPatch());
    problems.push(...result.problems);
    if (!result.resolved) continue;
    const keep = keptChars + branch.patchChars <= KEPT_DIFF_CHARS;
    if (keep) keptChars += branch.patchChars;
    toRender.push({ loaded: branch, resolved: keep ? result.resolved : undefined });
  }
  if (problems.length || !archive) return { ok: false, problems };
  onValid?.(siteInfo(archive), { diffChars: toRender.reduce((sum, { loaded }) => sum + loaded.patchChars, 0) });
  highlighter.planLanguages(linesByLanguage(toRender.flatMap(({ resolved }) => resolved?.patch.files ?? [])));

  await Promise.all([mkdir(branchDir, { recursive: true }), mkdir(searchDir, { recursive: true }), mkdir(ciDir, { recursive: true })]);
  const logLimits = logLimitsFor(archive.config.ci_log_max_lines);
  // Logs the cache does not have are rendered in worker threads, beside the diffs' highlighting.
  const logPool = new LogPool({ cacheDir: path.join(cacheDir, 'logs'), limits: logLimits });
  const logRenderer = new LogRenderer(path.join(cacheDir, 'logs'), logLimits, logPool);
  const nextBranches: BuildState['branches'] = {};
  // Same files, maybe touched or moved: record where and how they look now, so the next build need not read them.
  for (const { id, folder, signature } of reused) nextBranches[id] = { ...state.branches[id]!, folder, signature };
  const changedIds: number[] = [];

  try {
    // Enough branches in flight to keep every highlighting worker busy.
    await mapLimited(toRender, 4, async (entry) => {
      const item = entry.resolved ?? resolveBranch(entry.loaded, await entry.loaded.readPatch()).resolved!;
      entry.resolved = undefined;
      const assetsDir = path.join(dataDir, 'assets', String(item.branch.front.id));
      const logHtml = { dir: path.join(ciDir, String(item.branch.front.id)), relative: `ci/${item.branch.front.id}` };
      // `ci/<id>.html` is where builds before the logs' HTML was linked kept it.
      await Promise.all([rm(assetsDir, { recursive: true, force: true }), rm(logHtml.dir, { recursive: true, force: true }), rm(`${logHtml.dir}.html`, { force: true })]);
      // The CI page's logs, asked for before the diffs are highlighted, so that the log workers
      // start with the highlighting instead of after it; truncated logs' whole text is published
      // beside the page (assets/<id>/ci/).
      const ciRendering = renderCiLogs(item.branch.runs.map(toSiteRun), item.branch.logs, logRenderer, path.join(assetsDir, 'ci'), logHtml);
      // Settled below, or left behind when the highlighting fails (the build stops then).
      ciRendering.catch(() => undefined);
      const branch = await renderBranch(item, { highlight: (request) => highlighter.highlight(request), maxChangedLines: archive.config.collapse_lines ?? DEFAULT_COLLAPSE_LINES, authors: archive.authors });
      await publishAssets(assetsDir, item.branch, branch);
      const ci = await ciRendering;
      branch.runs = ci.runs;
      const ciJson = JSON.stringify(ci.logs);
      const json = JSON.stringify(branch);
      // The folder's digest is part of it: published images can change while the page's data does not.
      // Hashed once each (the CI logs can be megabytes, and their HTML's hashes come with it): the
      // output's hash is made of their hashes.
      const jsonHash = hashText(json);
      const ciHash = hashText(ciJson);
      const ciHtmlHash = hashText(JSON.stringify(ci.htmlHashes));
      const output = hashText(`${item.branch.digest}\0${jsonHash}\0${ciHash}\0${ciHtmlHash}`);
      const search = JSON.stringify(searchDocument(branch));
      await writeFile(path.join(branchDir, `${branch.id}.json`), json);
      await writeFile(path.join(ciDir, `${branch.id}.json`), ciJson);
      await writeFile(path.join(searchDir, `${branch.id}.json`), search);
      if (state.branches[branch.id]?.output !== output) changedIds.push(branch.id);
      const dataHashes = { [`branches/${branch.id}.json`]: jsonHash, [`search/${branch.id}.json`]: hashText(search), [`ci/${branch.id}.json`]: ciHash, ...ci.htmlHashes, ...(await assetHashes(dataDir, branch.id, Object.fromEntries(Object.entries(ci.textHashes).map(([href, sha]) => [`assets/${branch.id}/ci/${href}`, sha])))) };
      nextBranches[branch.id] = { folder: item.branch.folder, signature: item.branch.signature, digest: item.branch.digest, output, summary: summarize(branch), facts: branchFacts(branch), classes: classNamesIn(json), dataHashes };
    });
  } finally {
    await highlighter.close();
    // The nightly jobs' logs below render in this thread: they are few.
    await logPool.close();
  }
  notes.push(...entryNotes(highlighter.damagedEntries, 'highlighted'));

  const ids = new Set(Object.keys(nextBranches).map(Number));
  const removedIds = Object.keys(state.branches).map(Number).filter((id) => !ids.has(id));
  await Promise.all(
    removedIds.flatMap((id) => [
      ...dataFiles(id).map((file) => rm(file, { recursive: true, force: true })),
      rm(path.join(dataDir, 'assets', String(id)), { recursive: true, force: true }),
    ]),
  );

  const known: Record<string, TokenClass> = { ...state.classes };
  for (const cls of classesUsed()) known[cls.name] = cls;
  const usedNames = new Set(Object.values(nextBranches).flatMap((entry) => entry.classes));
  const nextClasses = Object.fromEntries([...usedNames].filter((name) => known[name]).sort().map((name) => [name, known[name]!]));

  // Nightly jobs are few and small; their logs come from the log cache when unchanged.
  const nightlyRenderer = new LogRenderer(path.join(cacheDir, 'logs'), logLimits);
  const nightly: SiteNightlyJob[] = [];
  const nightlyDir = path.join(dataDir, 'nightly');
  await rm(nightlyDir, { recursive: true, force: true });
  await rm(path.join(dataDir, 'nightly-assets'), { recursive: true, force: true });
  await mkdir(nightlyDir, { recursive: true });
  let nightlyLogs = '';
  for (const job of archive.nightly) {
    const ci = await renderCiLogs(job.runs.map(toSiteRun), job.logs, nightlyRenderer, path.join(dataDir, 'nightly-assets', job.slug), { dir: path.join(nightlyDir, job.slug), relative: `nightly/${job.slug}` });
    const logsJson = JSON.stringify(ci.logs);
    nightlyLogs += `${job.slug}\0${logsJson}\0${JSON.stringify(ci.htmlHashes)}\0`;
    await writeFile(path.join(nightlyDir, `${job.slug}.json`), logsJson);
    nightly.push({ slug: job.slug, name: job.name, runs: ci.runs });
  }

  notes.push(...entryNotes([...logRenderer.damaged, ...nightlyRenderer.damaged], 'rendered'));
  // Facts about files, true whatever happens to the rest of the build.
  await logHashes.save(logHashesFile);

  return {
    ok: true,
    site: siteInfo(archive),
    nightly,
    nightlyLogsHash: hashText(nightlyLogs),
    branches: [...ids].sort((a, b) => a - b).map((id) => nextBranches[id]!.summary),
    siteStats: computeStats([...ids].map((id) => nextBranches[id]!.facts)),
    highlightCss: tokenClassCss(Object.values(nextClasses)),
    changedIds: changedIds.sort((a, b) => a - b),
    removedIds,
    nextBranches,
    nextClasses,
    config: config!,
    stats: { rendered: toRender.length, reused: reused.length },
    notes,
  };
}

/** How many diff lines of each language the files hold (for HighlightService.planLanguages). */
function linesByLanguage(files: readonly DiffFile[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const file of files) {
    const language = languageForPath(displayPath(file));
    lines.set(language, (lines.get(language) ?? 0) + file.hunks.reduce((sum, hunk) => sum + hunk.lines.length, 0));
  }
  return lines;
}

/** The files a branch publishes from `<dataDir>/assets/<id>/` (images, whole CI logs), by path relative to `dataDir`, with their sha256. */
async function assetHashes(dataDir: string, id: number, known: Record<string, string> = {}): Promise<Record<string, string>> {
  const files = await filesBelow(path.join(dataDir, 'assets', String(id)));
  // Whole logs' text files were hashed as they were written (hundreds of megabytes need not be read again).
  const hashes = await mapLimited(files, 8, async (file) => {
    const relative = path.relative(dataDir, file).split(path.sep).join('/');
    return [relative, known[relative] ?? hashBytes(await readFile(file))] as const;
  });
  return Object.fromEntries(hashes);
}

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

/**
 * Why a branch's files in the cache may not be reused, or undefined: the first one that is missing
 * or whose bytes differ from those written (by sha256), or a file in its assets folder that no build
 * wrote (it would be published).
 */
async function cacheDamage(dataDir: string, id: number, hashes: Record<string, string>): Promise<{ file: string; what: string } | undefined> {
  for (const [file, expected] of Object.entries(hashes)) {
    // Synchronous: every reused branch's files are read, thousands of small ones, and each read
    // costs less without the thread pool's hand-off and a promise.
    const bytes = readIfPresent(path.join(dataDir, file));
    if (!bytes) return { file, what: 'was missing' };
    if (hashBytes(logHtmlHashed(file, bytes)) !== expected) return { file, what: 'was damaged (its bytes no longer match the hash written with them)' };
  }
  const stray = (await filesBelow(path.join(dataDir, 'assets', String(id)))).map((file) => path.relative(dataDir, file).split(path.sep).join('/')).find((file) => !(file in hashes));
  return stray ? { file: stray, what: 'was not written by a build' } : undefined;
}

/** One line per damaged branch; past a few, one line for all of them (a cache folder emptied by hand). */
function damageNotes(damaged: Array<{ id: number; file: string; what: string }>): string[] {
  if (damaged.length <= 5) return damaged.map(({ id, file, what }) => `the cache's ${file} ${what}; branch ${id} was rendered again`);
  return [`the cache's files of ${damaged.length} branches were missing or damaged (${damaged[0]!.file} ${damaged[0]!.what}, and others); they were rendered again`];
}

/** Notes for damaged highlighting or log cache entries (paths relative to the cache), one line each up to a few. */
function entryNotes(files: readonly string[], redone: string): string[] {
  const what = 'was damaged (its bytes no longer match the hash written with them)';
  if (files.length <= 5) return files.map((file) => `the cache's ${file} ${what}; it was ${redone} again`);
  return [`the cache's ${files.length} entries like ${files[0]} were damaged (their bytes no longer match the hashes written with them); they were ${redone} again`];
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function summarize(branch: SiteBranch): SiteBranchSummary {
  const { id, name, title, state, target, updated, tutorial, ci } = branch;
  const review = branch.discussion ? reviewSummary(branch.discussion) : undefined;
  return {
    id, name, title, state, target, updated, tutorial, ci,
    files: branch.diff.files.length, additions: branch.diff.additions, deletions: branch.diff.deletions,
    filePages: branch.diff.files.flatMap((file) => (file.page ? [file.page] : [])),
    ...(review && { review }),
  };
}

function siteInfo(archive: LoadedArchive): SiteInfo {
  const { repo, title, description, url, commit_url: commitUrl, file_url: fileUrl, page_size: pageSize = DEFAULT_PAGE_SIZE } = archive.config;
  return { repo, title, description, url, commitUrl, fileUrl, pageSize };
}

/** The token classes a rendered branch's HTML uses (markup written by tokenizer.ts: `class=kXXXX>`). */
function classNamesIn(json: string): string[] {
  return [...new Set([...json.matchAll(/class=(k\w+)>/g)].map((match) => match[1]!))].sort();
}

/**
 * Copies the images a branch page shows (binary files the archive holds) to `<dataDir>/assets/<id>/`
 * (`target`, emptied before the branch is rendered), laid out as they will sit next to the page
 * (scripts/build/site-pages.ts puts them there).
 */
async function publishAssets(target: string, loaded: LoadedBranch, branch: SiteBranch): Promise<void> {
  for (const file of branch.diff.files) {
    for (const side of ['old', 'new'] as const) {
      const filePath = side === 'old' ? file.oldPath : file.newPath;
      const asset = filePath ? loaded.assets[side].get(filePath) : undefined;
      if (!asset || !file.binarySides?.[side]?.image) continue;
      const destination = path.join(target, 'files', side, ...filePath!.split('/'));
      await mkdir(path.dirname(destination), { recursive: true });
      await copyFile(asset.file, destination);
    }
  }
}
