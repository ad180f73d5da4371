import { getCollection, getEntry } from 'astro:content';
import type { SiteBranch, SiteInfo } from '../../scripts/schema/site.ts';
import { compareNewestFirst } from '../../scripts/render/format.ts';

/** Every branch, shaped as the content build wrote it (with its numeric `id` back), newest first. */
export async function loadBranches(): Promise<SiteBranch[]> {
  const entries = await getCollection('branches');
  return entries.map(({ data: { branchId, ...branch } }) => ({ ...branch, id: branchId })).sort(compareNewestFirst);
}

/** The site's own facts (repository, title, description). */
export async function loadSite(): Promise<SiteInfo> {
  const entry = await getEntry('site', 'site');
  if (!entry) throw new Error('The site collection is empty: the content build did not write site.json.');
  return entry.data;
}
