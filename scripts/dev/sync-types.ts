/**
 * Writes Astro's generated types into the checkout's `.astro/` for `npm run check`: tsc reads
 * `.astro/types.d.ts` for `astro:content`'s collections and `import.meta.env`. Builds keep their
 * copy of these files in their own cache (scripts/build/astro-worker.ts), so a checkout has none
 * until this runs. The types come from the collections' schemas; Astro loads the collections too,
 * so they get the smallest valid site data, in a temporary folder with Astro's and Vite's caches.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteInfo } from '../schema/site.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const scratch = await mkdtemp(path.join(os.tmpdir(), 'review-archive-types-'));
try {
  const dataDir = path.join(scratch, 'data');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'branches.json'), '[]');
  await writeFile(path.join(dataDir, 'site.json'), JSON.stringify({ repo: 'types', title: 'types', pageSize: 50 } satisfies SiteInfo));
  Object.assign(process.env, { REVIEW_ARCHIVE_DATA: dataDir, REVIEW_ARCHIVE_ASTRO_CACHE: path.join(scratch, 'astro'), ASTRO_TELEMETRY_DISABLED: '1' });
  const { sync } = await import('astro');
  await sync({ root: PROJECT_ROOT, logLevel: 'warn', vite: { cacheDir: path.join(scratch, 'vite') } });
} finally {
  await rm(scratch, { recursive: true, force: true });
}
