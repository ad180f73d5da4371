import rss from '@astrojs/rss';
import type { APIRoute, GetStaticPaths } from 'astro';
import { formatTimestamp, pluralize } from '../../scripts/render/format.ts';
import { loadBranch, loadBranches, loadSite } from '../lib/data.ts';

/** How many merged branches the feed carries: enough to catch up after a holiday. */
const ITEMS = 30;

/**
 * `rss.xml`: the most recently merged branches. A feed needs absolute links, so it exists only when
 * archive.yaml has a `url` (this route makes no page otherwise).
 */
export const getStaticPaths = (() => (import.meta.env.SITE ? [{ params: { feed: 'rss' } }] : [])) satisfies GetStaticPaths;

export const GET: APIRoute = async (context) => {
  const [site, branches] = await Promise.all([loadSite(), loadBranches()]);
  const merged = branches.filter((branch) => branch.state === 'merged').slice(0, ITEMS);
  const siteRoot = new URL(import.meta.env.BASE_URL, context.site);
  const items = [];
  for (const summary of merged) {
    // The summary is rendered HTML, sanitized by the content build like everything on the pages.
    const branch = await loadBranch(summary.id);
    const changes = `+${summary.additions} −${summary.deletions} in ${pluralize(summary.files, 'file')}`;
    items.push({
      title: `#${summary.id} ${summary.name}: ${summary.title}`,
      link: new URL(`branch/${summary.id}/`, siteRoot).href,
      pubDate: new Date(summary.updated),
      description: `Merged into ${summary.target} on ${formatTimestamp(summary.updated)}; ${changes}.`,
      content: branch.summaryHtml,
    });
  }
  return rss({
    title: `${site.title}: merged branches`,
    description: site.description ?? `Branches merged in ${site.repo}.`,
    site: siteRoot,
    items,
    customData: '<language>en</language>',
    trailingSlash: true,
  });
};
