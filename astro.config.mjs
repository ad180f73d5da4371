// @ts-check
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The build (scripts/build/build-site.ts, through scripts/build/astro-runner.ts) runs Astro with these set;
// plain `astro build` gets the defaults.
const base = process.env.REVIEW_ARCHIVE_BASE || '/';
const outDir = process.env.REVIEW_ARCHIVE_OUT || './dist';
const site = process.env.REVIEW_ARCHIVE_SITE || undefined;
const dataDir = path.resolve(process.env.REVIEW_ARCHIVE_DATA ?? '.review-archive/data');

/**
 * Every page's address, and each branch page's last change. An incremental build renders only the
 * changed pages (often not the feed), and the sitemap lists what a build rendered, so it is made
 * from the archive's list of pages instead: the same in every build of the same archive.
 * @returns {Promise<{ pages: string[]; branchUpdated: Map<string, string> }>}
 */
async function sitePages() {
  if (!site) return { pages: [], branchUpdated: new Map() };
  const siteRoot = new URL(base, site);
  /** @type {Array<import('./scripts/schema/site.ts').SiteBranchSummary>} */
  let branches = [];
  let pageSize = 50;
  try {
    branches = JSON.parse(readFileSync(path.join(dataDir, 'branches.json'), 'utf8'));
    pageSize = JSON.parse(readFileSync(path.join(dataDir, 'site.json'), 'utf8')).pageSize ?? pageSize;
  } catch {
    // `astro` run by hand before any content build: no pages to list.
  }
  const { feedPages } = await import('./src/lib/feed.ts');
  const feed = branches.length ? feedPages(branches, pageSize).map((page) => new URL(page.path, siteRoot).href) : [];
  const branchUpdated = new Map(branches.map((branch) => [new URL(`branch/${branch.id}/`, siteRoot).href, branch.updated]));
  // A branch with CI runs has its CI page too (src/pages/branch/[id]/ci/index.astro renders those).
  const ciPages = branches.filter((branch) => branch.ci !== 'none').map((branch) => new URL(`branch/${branch.id}/ci/`, siteRoot).href);
  // So does each file moved off its branch page by the page budget (src/pages/branch/[id]/files/[n].astro).
  const filePages = branches.flatMap((branch) => (branch.filePages ?? []).map((n) => new URL(`branch/${branch.id}/files/${n}/`, siteRoot).href));
  return { pages: [...feed, new URL('stats/', siteRoot).href, ...branchUpdated.keys(), ...ciPages, ...filePages], branchUpdated };
}

/**
 * Filled when Astro's build starts, after the content sync, not when this file loads: a first
 * build starts Astro while the content build is still writing branches.json (the collections wait
 * for it, src/content.config.ts). The sitemap reads them only when the pages are done.
 * @type {string[]}
 */
const allPages = [];
/** @type {Map<string, string>} */
const branchUpdated = new Map();
/** @type {import('astro').AstroIntegration} */
const listSitePages = {
  name: 'review-archive:site-pages',
  hooks: {
    'astro:build:start': async () => {
      const listed = await sitePages();
      allPages.splice(0, allPages.length, ...listed.pages);
      branchUpdated.clear();
      for (const [url, updated] of listed.branchUpdated) branchUpdated.set(url, updated);
    },
  },
};

/**
 * A plain object rather than `defineConfig(…)`: importing `astro/config` loads Astro's SVG
 * optimizer (some 230 modules), about 0.1 s of every build, for a function that only adds types.
 * @type {import('astro').AstroUserConfig}
 */
export default {
  base,
  outDir,
  cacheDir: process.env.REVIEW_ARCHIVE_ASTRO_CACHE || './node_modules/.astro',
  site,
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // One shared stylesheet file instead of per-page inline styles: cached across pages.
    inlineStylesheets: 'never',
    // Pages rendered at once. One at a time, Astro's thread waited on each page's file reads and
    // writes for a third of its time; with 4, the bench's corpus builds in 23.3-23.6 s against
    // 25.8-25.9 s (pages phase 6.4 s against 8.1-8.6 s), pika's history in 28.4-28.7 s against
    // 29.8-30.1 s, the same bytes and about the same peak memory. At 10,000 branches it buys no
    // time and costs about 90 MiB of the peak (1,287 MiB against 1,197 MiB, within the 1.5 GiB).
    concurrency: 4,
  },
  // A sitemap needs absolute addresses, so only with `site` (archive.yaml's url).
  integrations: site
    ? [
        listSitePages,
        (await import('@astrojs/sitemap')).default({
          customPages: allPages,
          // The search page has nothing of its own to index.
          filter: (page) => !page.endsWith('/search/'),
          serialize: (item) => {
            const updated = branchUpdated.get(item.url);
            return updated ? { ...item, lastmod: updated } : item;
          },
        }),
      ]
    : [],
  // Everything is highlighted by the content build; Astro's own markdown pipeline is unused.
  markdown: { syntaxHighlight: false },
  devToolbar: { enabled: false },
  // The page script is a file of its own too, cached once for every branch page.
  vite: { build: { assetsInlineLimit: 0 } },
};
