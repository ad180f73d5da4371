import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { siteBranchSummarySchema, siteInfoSchema } from '../scripts/schema/site.ts';
import { dataDir } from './lib/data-dir.ts';

/** The collections read what the content build (scripts/build/build.ts) wrote; pages never touch the archive itself. */
function readJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(dataDir, name), 'utf8'));
}

/**
 * A first build starts Astro while the content build is still highlighting, so that loading this
 * file and Astro's sync machinery overlap it (scripts/build/astro-worker.ts sets this wait); the
 * collections are read once the data is written. A plain `astro` run has nothing to wait for.
 */
const DATA_WRITTEN = Symbol.for('review-archive.data-written');
async function dataWritten(): Promise<void> {
  await (globalThis as { [DATA_WRITTEN]?: () => Promise<void> })[DATA_WRITTEN]?.();
}

const branches = defineCollection({
  loader: async () => (await dataWritten(), readJson('branches.json') as Array<{ id: number }>).map((branch) => ({ ...branch, id: String(branch.id), branchId: branch.id })),
  schema: siteBranchSummarySchema.omit({ id: true }).extend({ branchId: siteBranchSummarySchema.shape.id }),
});

const site = defineCollection({
  loader: async () => (await dataWritten(), [{ id: 'site', ...(readJson('site.json') as object) }]),
  schema: siteInfoSchema,
});

export const collections = { branches, site };
