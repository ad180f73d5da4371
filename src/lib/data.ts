import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getCollection, getEntry } from 'astro:content';
import type { SiteBranch, SiteBranchSummary, SiteInfo } from '../../scripts/schema/site.ts';
import { siteStatsSchema, type SiteStats } from '../../scripts/schema/stats.ts';
import { compareNewestFirst } from '../../scripts/render/format.ts';
import { dataDir } from './data-dir.ts';

/** Every branch's summary (with its numeric `id` back), newest first. */
export async function loadBranches(): Promise<SiteBranchSummary[]> {
  const entries = await getCollection('branches');
  return entries.map(({ data: { branchId, ...branch } }) => ({ ...branch, id: branchId })).sort(compareNewestFirst);
}

/**
 * The branches whose pages this build renders: all of them, or in an incremental build only those
 * the content build found changed (REVIEW_ARCHIVE_ONLY_BRANCHES, set by scripts/site-pages.ts).
 */
export function branchesToRender(branches: SiteBranchSummary[]): SiteBranchSummary[] {
  const only = process.env.REVIEW_ARCHIVE_ONLY_BRANCHES;
  if (only === undefined) return branches;
  const ids = new Set(only.split(',').filter(Boolean).map(Number));
  return branches.filter((branch) => ids.has(branch.id));
}

/** One branch in full, as the content build rendered it (validated there against siteBranchSchema). */
export async function loadBranch(id: number): Promise<SiteBranch> {
  return JSON.parse(await readFile(path.join(dataDir, 'branches', `${id}.json`), 'utf8')) as SiteBranch;
}

/** The site's own facts (repository, title, description). */
export async function loadSite(): Promise<SiteInfo> {
  const entry = await getEntry('site', 'site');
  if (!entry) throw new Error('The site collection is empty: the content build did not write site.json.');
  return entry.data;
}

/** The stats page's figures (scripts/stats/compute-stats.ts), checked against their schema. */
export async function loadStats(): Promise<SiteStats> {
  return siteStatsSchema.parse(JSON.parse(await readFile(path.join(dataDir, 'stats.json'), 'utf8')));
}
