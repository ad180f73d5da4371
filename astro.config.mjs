// @ts-check
import { defineConfig } from 'astro/config';

// The content build (scripts/build.ts) runs Astro with these set; plain `astro build` gets the defaults.
const base = process.env.REVIEW_ARCHIVE_BASE || '/';
const outDir = process.env.REVIEW_ARCHIVE_OUT || './dist';
const site = process.env.REVIEW_ARCHIVE_SITE || undefined;

export default defineConfig({
  base,
  outDir,
  cacheDir: process.env.REVIEW_ARCHIVE_ASTRO_CACHE || './node_modules/.astro',
  site,
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // One shared stylesheet file instead of per-page inline styles: cached across pages.
    inlineStylesheets: 'never',
  },
  // Everything is highlighted by the content build; Astro's own markdown pipeline is unused.
  markdown: { syntaxHighlight: false },
  devToolbar: { enabled: false },
  // The page script is a file of its own too, cached once for every branch page.
  vite: { build: { assetsInlineLimit: 0 } },
});
