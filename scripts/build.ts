/**
 * `npm run build`: validate and render the archive (content → .review-archive/data), then let
 * Astro render the pages into a temporary directory that replaces the output only on success.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArchive, mapLimited, type LoadedArchive } from './archive/load-archive.ts';
import { parseBuildArgs, UsageError, type BuildOptions } from './cli-args.ts';
import { HighlightService } from './render/highlight-service.ts';
import { renderBranch } from './render/render-branch.ts';
import { classesUsed, tokenClassCss } from './render/tokenizer.ts';
import { formatReport, type Problem } from './report.ts';
import { resolveBranch, type ResolvedBranch } from './resolve-branch.ts';
import type { SiteBranch, SiteBranchSummary, SiteInfo } from './schema/site.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type BuildResult = { ok: true; branches: number } | { ok: false; problems: Problem[] };

export interface SiteData {
  site: SiteInfo;
  branches: SiteBranchSummary[];
  /** The stylesheet for the token classes the highlighted code uses. */
  highlightCss: string;
}

/**
 * Everything up to the site data: load, validate, resolve evidence, render. Each rendered branch is
 * written to `<dataDir>/branches/<id>.json` as soon as it is done, so memory holds one branch's HTML
 * at a time, not the archive's.
 */
export async function buildSiteData(contentDir: string, dataDir: string, cacheDir?: string): Promise<({ ok: true } & SiteData) | { ok: false; problems: Problem[] }> {
  const { archive, problems } = await loadArchive(contentDir);
  const resolved: ResolvedBranch[] = [];
  for (const branch of archive?.branches ?? []) {
    const result = resolveBranch(branch);
    problems.push(...result.problems);
    if (result.resolved) resolved.push(result.resolved);
  }
  if (problems.length || !archive) return { ok: false, problems };
  resolved.sort((a, b) => a.branch.front.id - b.branch.front.id);
  const highlighter = new HighlightService({ cacheDir: cacheDir && path.join(cacheDir, 'highlight') });
  try {
    const branchDir = path.join(dataDir, 'branches');
    await rm(branchDir, { recursive: true, force: true });
    await mkdir(branchDir, { recursive: true });
    // Enough branches in flight to keep every highlighting worker busy.
    const branches = await mapLimited(resolved, 16, async (item) => {
      const branch = await renderBranch(item, (request) => highlighter.highlight(request));
      await writeFile(path.join(branchDir, `${branch.id}.json`), JSON.stringify(branch));
      return summarize(branch);
    });
    return { ok: true, site: siteInfo(archive), branches, highlightCss: tokenClassCss(classesUsed()) };
  } finally {
    await highlighter.close();
  }
}

function summarize(branch: SiteBranch): SiteBranchSummary {
  const { id, name, title, state, target, updated, tutorial, ci } = branch;
  return { id, name, title, state, target, updated, tutorial, ci, files: branch.diff.files.length, additions: branch.diff.additions, deletions: branch.diff.deletions };
}

function siteInfo(archive: LoadedArchive): SiteInfo {
  const { repo, title, description, url, commit_url: commitUrl } = archive.config;
  return { repo, title, description, url, commitUrl };
}

async function writeSiteData(dataDir: string, data: SiteData): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await Promise.all([
    writeFile(path.join(dataDir, 'site.json'), JSON.stringify(data.site)),
    writeFile(path.join(dataDir, 'branches.json'), JSON.stringify(data.branches)),
    writeFile(path.join(dataDir, 'highlight.css'), data.highlightCss),
  ]);
}

async function buildPages(options: BuildOptions, dataDir: string, site: SiteInfo): Promise<void> {
  const outDir = path.resolve(options.outDir);
  const stagingDir = `${outDir}.staging`;
  await rm(stagingDir, { recursive: true, force: true });
  Object.assign(process.env, {
    REVIEW_ARCHIVE_DATA: dataDir,
    REVIEW_ARCHIVE_OUT: stagingDir,
    REVIEW_ARCHIVE_BASE: options.base,
    REVIEW_ARCHIVE_ASTRO_CACHE: path.resolve(options.cacheDir, 'astro'),
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  if (site.url) process.env.REVIEW_ARCHIVE_SITE = site.url;
  const { build } = await import('astro');
  try {
    await build({ root: PROJECT_ROOT, logLevel: 'warn' });
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
  // Swap: the previous site stays whole until the new one is complete.
  const retiredDir = `${outDir}.previous`;
  await rm(retiredDir, { recursive: true, force: true });
  await rename(outDir, retiredDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(stagingDir, outDir);
  await rm(retiredDir, { recursive: true, force: true });
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const dataDir = path.resolve(options.cacheDir, 'data');
  const data = await buildSiteData(options.contentDir, dataDir, options.cacheDir);
  if (!data.ok) return data;
  await writeSiteData(dataDir, data);
  if (!options.contentOnly) await buildPages(options, dataDir, data.site);
  return { ok: true, branches: data.branches.length };
}

/** Astro 7 and our worker threads need Node 22.12+; npm scripts run the project's pinned Node. */
function nodeIsSupported(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

async function main(): Promise<number> {
  if (!nodeIsSupported()) {
    console.error(`review-archive: Node ${process.versions.node} is too old (22.12 or newer is needed). Run the build through npm (npm run build), which uses the Node this project pins in node_modules/.bin.`);
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
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = options.contentOnly ? path.join(options.cacheDir, 'data') : options.outDir;
  console.log(`review-archive: built ${result.branches} branches from ${options.contentDir} into ${where} in ${seconds}s`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
