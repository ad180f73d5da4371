import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { searchDocumentSchema } from '../schema/search.ts';
import { searchPageHtml } from './search-page.ts';

/**
 * The search index is cut into shards of consecutive branch ids, each a Pagefind bundle of its
 * own (`pagefind/<shard>/`), which the search page merges in the browser. Pagefind holds a whole
 * index in memory while it writes it (about 2 GB for 10,000 branches, measured when they were
 * 100,000 records) and cannot update one in place: shards keep its memory bounded, and an
 * incremental build rewrites only the shards whose branches changed.
 */
export const BRANCHES_PER_SHARD = 500;

/** The file listing the shards, in `pagefind/`; the search page reads it first. */
export const SHARD_LIST = 'shards.json';

export function shardOf(branchId: number): string {
  return String(Math.floor(branchId / BRANCHES_PER_SHARD));
}

/**
 * A hash per shard of what its branches' search documents come from (each branch's rendered
 * output), so a build can tell which shards to write again.
 */
export function shardHashes(outputs: ReadonlyMap<number, string>, hash: (text: string) => string): Record<string, string> {
  return Object.fromEntries([...shardBranches([...outputs.keys()])].map(([shard, ids]) => [shard, hash(ids.map((id) => `${id}:${outputs.get(id)}`).join('\n'))]));
}

/** Branch ids by shard, shards in id order. */
export function shardBranches(branchIds: readonly number[]): Map<string, number[]> {
  const shards = new Map<string, number[]>();
  for (const id of [...branchIds].sort((a, b) => a - b)) {
    const shard = shardOf(id);
    shards.set(shard, [...(shards.get(shard) ?? []), id]);
  }
  return shards;
}

export interface SearchIndexOptions {
  /** The site data, holding `search/<id>.json` for every branch (scripts/build/site-data.ts writes them). */
  dataDir: string;
  /** The branches in the site: only their documents are indexed, a leftover file never is. */
  branchIds: number[];
  /** The folder to write, `<site>/pagefind`; it must not exist yet. */
  outputPath: string;
  /** Write only these shards (the others are kept from the previous site); all when undefined. */
  onlyShards?: ReadonlySet<string>;
}

/**
 * Pagefind writes its ready-made search interfaces too; the site has its own small one
 * (src/scripts/search.ts), so these are dropped instead of shipped unused.
 */
const UNUSED_BUNDLE = /^pagefind-(?:ui|component-ui|modular-ui|highlight)\./;

/**
 * Builds the site's search index with Pagefind, shard by shard, each from its branches' documents
 * in id order, so the same documents always give byte-identical files. Pagefind does the work in a
 * child process of its own (its binary comes with the npm package; nothing is downloaded), which
 * is always stopped before this returns. Writes `shards.json` listing every shard of the site.
 *
 * @returns how many branches the written shards hold, and which shards were written
 */
export async function buildSearchIndex({ dataDir, branchIds, outputPath, onlyShards }: SearchIndexOptions): Promise<{ branches: number; written: string[]; shards: string[] }> {
  const shards = shardBranches(branchIds);
  const written = [...shards.keys()].filter((shard) => !onlyShards || onlyShards.has(shard));
  let branches = 0;
  try {
    // One shard at a time, each index deleted once written: memory holds one shard's index.
    for (const shard of written) branches += await writeShard(dataDir, shards.get(shard)!, path.join(outputPath, shard));
  } finally {
    await pagefind.close();
  }
  for (const shard of written) {
    const dir = path.join(outputPath, shard);
    const unused = (await readdir(dir)).filter((name) => UNUSED_BUNDLE.test(name));
    await Promise.all(unused.map((name) => rm(path.join(dir, name))));
  }
  await mkdir(outputPath, { recursive: true });
  await writeFile(path.join(outputPath, SHARD_LIST), JSON.stringify([...shards.keys()]));
  return { branches, written, shards: [...shards.keys()] };
}

export type SearchIndexResult = Awaited<ReturnType<typeof buildSearchIndex>>;

/** buildSearchIndex, run in a worker thread, so it keeps its pace while the main thread is busy. */
export function buildSearchIndexOffThread(options: SearchIndexOptions): Promise<SearchIndexResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./index-worker.ts', import.meta.url), { workerData: options });
    let answered = false;
    worker.once('message', (message: { result?: SearchIndexResult; error?: string }) => {
      answered = true;
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.result!);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The search index worker stopped (exit code ${code}) before it finished.`));
    });
  });
}

async function writeShard(dataDir: string, ids: number[], outputPath: string): Promise<number> {
  const created = await pagefind.createIndex({ forceLanguage: 'en' });
  const index = created.index;
  if (!index) throw new Error(`Pagefind could not create an index: ${created.errors.join('; ')}`);
  for (const id of ids) {
    const file = path.join(dataDir, 'search', `${id}.json`);
    const document = searchDocumentSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    const added = await index.addHTMLFile({ url: document.url, content: searchPageHtml(document) });
    if (added.errors.length) throw new Error(`Pagefind rejected the search page of ${file} (${document.url}): ${added.errors.join('; ')}`);
  }
  const result = await index.writeFiles({ outputPath });
  if (result.errors.length) throw new Error(`Pagefind could not write ${outputPath}: ${result.errors.join('; ')}`);
  await index.deleteIndex();
  return ids.length;
}
