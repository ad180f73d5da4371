/**
 * For test/build/early-pages.test.ts: starts Astro's build of every page (startAllPages) over a
 * data folder whose site.json and branches.json are not there yet, as a first build does while it
 * still highlights, waits until Astro waits for them, writes them (moved back from `<file>.later`),
 * says so, and renders the site into `<out>`.
 * Usage: node test/support/early-pages.ts <data> <astro cache> <out> <site url>
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { AstroRunner } from '../../scripts/build/astro-runner.ts';
import { buildPages, startAllPages } from '../../scripts/build/site-pages.ts';

const [dataDir, astroCacheDir, outDir, siteUrl] = process.argv.slice(2) as [string, string, string, string];
const astro = new AstroRunner();
astro.preload();
const options = { astro, outDir, base: '/', dataDir, astroCacheDir, siteUrl };
const started = await startAllPages(options);
await astro.waitingForData;
for (const name of ['site.json', 'branches.json']) await rename(path.join(dataDir, `${name}.later`), path.join(dataDir, name));
started.dataWritten();
await buildPages({ ...options, branchIds: [7, 8], started });
astro.stop();
