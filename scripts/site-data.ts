import { access, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadArchive, mapLimited, type LoadedArchive, type LoadedBranch } from './archive/load-archive.ts';
import { hashText, type BuildState } from './build-state.ts';
import { HighlightService } from './render/highlight-service.ts';
import { DEFAULT_COLLAPSE_LINES } from './render/collapse.ts';
import { renderBranch } from './render/render-branch.ts';
import { classesUsed, tokenClassCss, type TokenClass } from './render/tokenizer.ts';
import type { Problem } from './report.ts';
import { resolveBranch, type ResolvedBranch } from './resolve-branch.ts';
import type { SiteBranch, SiteBranchSummary, SiteInfo } from './schema/site.ts';
import type { SiteStats } from './schema/stats.ts';
import { computeStats } from './stats/compute-stats.ts';
import { branchFacts } from './stats/facts.ts';

export interface SiteData {
  site: SiteInfo;
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
}

/**
 * Everything up to the site data: load and validate the archive, resolve evidence, render.
 * Each rendered branch goes to `<dataDir>/branches/<id>.json` as soon as it is done, so memory
 * holds one branch's HTML at a time. A branch whose folder is unchanged since the last build
 * (same digest, its file still there) is neither resolved nor rendered again.
 */
export async function buildSiteData(
  contentDir: string,
  dataDir: string,
  cacheDir: string,
  state: BuildState,
): Promise<({ ok: true } & SiteData) | { ok: false; problems: Problem[] }> {
  const { archive, problems } = await loadArchive(contentDir);
  const branchDir = path.join(dataDir, 'branches');
  const config = archive && hashText(JSON.stringify(archive.config));
  const reused: LoadedBranch[] = [];
  const resolved: ResolvedBranch[] = [];
  for (const branch of archive?.branches ?? []) {
    const previous = state.branches[branch.front.id];
    if (previous?.digest === branch.digest && state.config === config && (await exists(path.join(branchDir, `${branch.front.id}.json`)))) {
      reused.push(branch);
      continue;
    }
    const result = resolveBranch(branch);
    problems.push(...result.problems);
    if (result.resolved) resolved.push(result.resolved);
  }
  if (problems.length || !archive) return { ok: false, problems };

  await mkdir(branchDir, { recursive: true });
  const nextBranches: BuildState['branches'] = {};
  for (const branch of reused) nextBranches[branch.front.id] = state.branches[branch.front.id]!;
  const changedIds: number[] = [];

  const highlighter = new HighlightService({ cacheDir: path.join(cacheDir, 'highlight') });
  try {
    // Enough branches in flight to keep every highlighting worker busy.
    await mapLimited(resolved, 4, async (item) => {
      const branch = await renderBranch(item, { highlight: (request) => highlighter.highlight(request), maxChangedLines: archive.config.collapse_lines ?? DEFAULT_COLLAPSE_LINES });
      const json = JSON.stringify(branch);
      // The folder's digest is part of it: published images can change while the page's data does not.
      const output = hashText(`${item.branch.digest}\0${json}`);
      await writeFile(path.join(branchDir, `${branch.id}.json`), json);
      await publishAssets(dataDir, item.branch, branch);
      if (state.branches[branch.id]?.output !== output) changedIds.push(branch.id);
      nextBranches[branch.id] = { digest: item.branch.digest, output, summary: summarize(branch), facts: branchFacts(branch), classes: classNamesIn(json) };
    });
  } finally {
    await highlighter.close();
  }

  const ids = new Set(archive.branches.map((branch) => branch.front.id));
  const removedIds = Object.keys(state.branches).map(Number).filter((id) => !ids.has(id));
  await Promise.all(removedIds.flatMap((id) => [rm(path.join(branchDir, `${id}.json`), { force: true }), rm(path.join(dataDir, 'assets', String(id)), { recursive: true, force: true })]));

  const known: Record<string, TokenClass> = { ...state.classes };
  for (const cls of classesUsed()) known[cls.name] = cls;
  const usedNames = new Set(Object.values(nextBranches).flatMap((entry) => entry.classes));
  const nextClasses = Object.fromEntries([...usedNames].filter((name) => known[name]).sort().map((name) => [name, known[name]!]));

  return {
    ok: true,
    site: siteInfo(archive),
    branches: [...ids].sort((a, b) => a - b).map((id) => nextBranches[id]!.summary),
    siteStats: computeStats([...ids].map((id) => nextBranches[id]!.facts)),
    highlightCss: tokenClassCss(Object.values(nextClasses)),
    changedIds: changedIds.sort((a, b) => a - b),
    removedIds,
    nextBranches,
    nextClasses,
    config: config!,
    stats: { rendered: resolved.length, reused: reused.length },
  };
}

function summarize(branch: SiteBranch): SiteBranchSummary {
  const { id, name, title, state, target, updated, tutorial, ci } = branch;
  return { id, name, title, state, target, updated, tutorial, ci, files: branch.diff.files.length, additions: branch.diff.additions, deletions: branch.diff.deletions };
}

function siteInfo(archive: LoadedArchive): SiteInfo {
  const { repo, title, description, url, commit_url: commitUrl, file_url: fileUrl } = archive.config;
  return { repo, title, description, url, commitUrl, fileUrl };
}

/** The token classes a rendered branch's HTML uses (markup written by tokenizer.ts: `class=kXXXX>`). */
function classNamesIn(json: string): string[] {
  return [...new Set([...json.matchAll(/class=(k\w+)>/g)].map((match) => match[1]!))].sort();
}

/**
 * Copies the images a branch page shows (binary files the archive holds) to `<dataDir>/assets/<id>/`,
 * laid out as they will sit next to the page (scripts/site-pages.ts puts them there).
 */
async function publishAssets(dataDir: string, loaded: LoadedBranch, branch: SiteBranch): Promise<void> {
  const target = path.join(dataDir, 'assets', String(branch.id));
  await rm(target, { recursive: true, force: true });
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

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
