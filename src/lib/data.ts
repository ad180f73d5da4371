import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getCollection, getEntry } from 'astro:content';
import type { SiteBranch, SiteBranchSummary, SiteCiLogs, SiteInfo, SiteLaneLog, SiteNightlyJob } from '../../scripts/schema/site.ts';
import { siteStatsSchema, type SiteStats } from '../../scripts/schema/stats.ts';
import { dataDir } from './data-dir.ts';

let branches: Promise<SiteBranchSummary[]> | undefined;

/**
 * Every branch's summary (with its numeric `id` back), newest first. Read once per build: every
 * feed page asks for it, and with thousands of branches sorting them again each time adds up.
 */
export function loadBranches(): Promise<SiteBranchSummary[]> {
  branches ??= getCollection('branches').then((entries) => {
    const summaries = entries.map(({ data: { branchId, ...branch } }) => ({ ...branch, id: branchId }));
    const time = new Map(summaries.map((branch) => [branch, Date.parse(branch.updated)]));
    return summaries.sort((a, b) => time.get(b)! - time.get(a)! || b.id - a.id);
  });
  return branches;
}

/**
 * The branches whose pages this build renders: all of them, or in an incremental build only those
 * the content build found changed (REVIEW_ARCHIVE_ONLY_BRANCHES, set by scripts/build/site-pages.ts).
 */
export function branchesToRender(branches: SiteBranchSummary[]): SiteBranchSummary[] {
  const only = process.env.REVIEW_ARCHIVE_ONLY_BRANCHES;
  if (only === undefined) return branches;
  const ids = new Set(only.split(',').filter(Boolean).map(Number));
  return branches.filter((branch) => ids.has(branch.id));
}

/**
 * Whether this build renders the feed's pages. An incremental build in which no branch's summary
 * changed keeps the previous ones (REVIEW_ARCHIVE_KEEP_FEED, set by scripts/build/site-pages.ts): with
 * thousands of branches the feed and its filters are hundreds of pages.
 */
export function feedIsRendered(): boolean {
  return !process.env.REVIEW_ARCHIVE_KEEP_FEED;
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

/**
 * CI jobs not tied to a branch (`nightly/`), by name. A plain file rather than a collection: most
 * archives have none, and Astro warns about every empty collection.
 */
export async function loadNightly(): Promise<SiteNightlyJob[]> {
  const jobs = JSON.parse(await readFile(path.join(dataDir, 'nightly.json'), 'utf8')) as SiteNightlyJob[];
  return jobs.sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
}

/** The stats page's figures (scripts/stats/compute-stats.ts), checked against their schema. */
export async function loadStats(): Promise<SiteStats> {
  return siteStatsSchema.parse(JSON.parse(await readFile(path.join(dataDir, 'stats.json'), 'utf8')));
}

/** A branch's rendered CI logs (scripts/logs/render-ci.ts), by `<run id>/<lane anchor>`. */
export async function loadCiLogs(id: number): Promise<SiteCiLogs> {
  return JSON.parse(await readFile(path.join(dataDir, 'ci', `${id}.json`), 'utf8')) as SiteCiLogs;
}

/** A nightly job's rendered CI logs, by `<run id>/<lane anchor>`. */
export async function loadNightlyLogs(slug: string): Promise<SiteCiLogs> {
  return JSON.parse(await readFile(path.join(dataDir, 'nightly', `${slug}.json`), 'utf8')) as SiteCiLogs;
}

/** One log's HTML from its file in the site data, for the dev server (a build splices it in, scripts/build/splice-logs.ts). */
export async function readLogHtml({ htmlFile, htmlBytes: [start, length] }: Pick<SiteLaneLog, 'htmlFile' | 'htmlBytes'>): Promise<string> {
  const handle = await open(path.join(dataDir, ...htmlFile.split('/')), 'r');
  try {
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, start);
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

let lastBranch: { id: number; branch: Promise<SiteBranch> } | undefined;

/**
 * loadBranch, remembering the last branch read: a branch's file pages are rendered one after the
 * other, and each would otherwise parse the branch's whole diff again.
 */
export function loadBranchOnce(id: number): Promise<SiteBranch> {
  if (lastBranch?.id !== id) lastBranch = { id, branch: loadBranch(id) };
  return lastBranch.branch;
}
