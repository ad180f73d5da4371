import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { searchRecordsSchema } from '../schema/search.ts';

export interface SearchIndexOptions {
  /** The site data, holding `search/<id>.json` for every branch (scripts/site-data.ts writes them). */
  dataDir: string;
  /** The branches in the site: only their records are indexed, a leftover file never is. */
  branchIds: number[];
  /** The folder to write, `<site>/pagefind`; it must not exist yet. */
  outputPath: string;
}

/**
 * Pagefind writes its ready-made search interfaces too; the site has its own small one
 * (src/scripts/search.ts), so these are dropped instead of shipped unused.
 */
const UNUSED_BUNDLE = /^pagefind-(?:ui|component-ui|modular-ui|highlight)\./;

/**
 * Builds the site's search index with Pagefind from every branch's records, in id order, so the
 * same records always give byte-identical files. Pagefind does the work in a child process of
 * its own (its binary comes with the npm package; nothing is downloaded), which is always
 * stopped before this returns.
 *
 * @returns how many records the index holds
 */
export async function buildSearchIndex({ dataDir, branchIds, outputPath }: SearchIndexOptions): Promise<{ records: number }> {
  let records = 0;
  try {
    const created = await pagefind.createIndex({ forceLanguage: 'en' });
    const index = created.index;
    if (!index) throw new Error(`Pagefind could not create an index: ${created.errors.join('; ')}`);
    for (const id of [...branchIds].sort((a, b) => a - b)) {
      const file = path.join(dataDir, 'search', `${id}.json`);
      for (const record of searchRecordsSchema.parse(JSON.parse(await readFile(file, 'utf8')))) {
        const added = await index.addCustomRecord(record);
        if (added.errors.length) throw new Error(`Pagefind rejected a record of ${file} (${record.url}): ${added.errors.join('; ')}`);
        records++;
      }
    }
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw new Error(`Pagefind could not write ${outputPath}: ${written.errors.join('; ')}`);
  } finally {
    await pagefind.close();
  }
  const unused = (await readdir(outputPath)).filter((name) => UNUSED_BUNDLE.test(name));
  await Promise.all(unused.map((name) => rm(path.join(outputPath, name))));
  return { records };
}
