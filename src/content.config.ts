import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { siteBranchSummarySchema, siteInfoSchema } from '../scripts/schema/site.ts';
import { dataDir } from './lib/data-dir.ts';

/** The collections read what the content build (scripts/build/build.ts) wrote; pages never touch the archive itself. */
function readJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(dataDir, name), 'utf8'));
}

const branches = defineCollection({
  loader: async () => (readJson('branches.json') as Array<{ id: number }>).map((branch) => ({ ...branch, id: String(branch.id), branchId: branch.id })),
  schema: siteBranchSummarySchema.omit({ id: true }).extend({ branchId: siteBranchSummarySchema.shape.id }),
});

const site = defineCollection({
  loader: async () => [{ id: 'site', ...(readJson('site.json') as object) }],
  schema: siteInfoSchema,
});

export const collections = { branches, site };
