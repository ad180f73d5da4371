import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { branchHits, type PagefindResult } from '../../src/scripts/search-places.ts';
import { serveStatic } from './server.ts';

/** One link of the search page's results: a branch, or a step, file or comment under it. */
export interface SearchHit {
  /** As the search page links it, the base in front. */
  url: string;
  kind: 'branch' | 'step' | 'file' | 'comment';
  title: string;
  branch: string;
  excerpt: string;
}

interface PagefindModule {
  options(options: { basePath: string; baseUrl: string }): Promise<void>;
  mergeIndex(indexPath: string, options: { baseUrl: string }): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResult> }> } | null>;
  destroy?(): Promise<void>;
}

let loads = 0;

/**
 * Searches a built site's index with the site's own `pagefind/pagefind.js`, run in Node: the
 * same code and the same files the search page uses, without a browser. The script fetches its
 * index over HTTP, so the site is served on 127.0.0.1 while it searches.
 *
 * Each matching branch gives a hit of its own when its own text matched (name, title, summary),
 * followed by one per matching step and file, as the search page lists them (src/scripts/search-places.ts).
 */
export async function searchSite(siteDir: string, query: string, base = '/'): Promise<SearchHit[]> {
  const server = await serveStatic(siteDir, base);
  try {
    // A fresh copy of the module each time: it keeps what it loaded, and a rebuild changes the index.
    // Shards as the search page merges them (src/scripts/search.ts).
    const shards = JSON.parse(await readFile(path.join(siteDir, 'pagefind/shards.json'), 'utf8')) as string[];
    const script = `${pathToFileURL(path.join(siteDir, 'pagefind', shards[0]!, 'pagefind.js')).href}?load=${++loads}`;
    const pagefind = (await import(script)) as PagefindModule;
    await pagefind.options({ basePath: `${server.url}pagefind/${shards[0]}/`, baseUrl: base });
    for (const shard of shards.slice(1)) await pagefind.mergeIndex(`${server.url}pagefind/${shard}/`, { baseUrl: base });
    const found = await pagefind.search(query);
    const results = await Promise.all((found?.results ?? []).map((result) => result.data()));
    await pagefind.destroy?.();
    return results.flatMap((result) => {
      const { excerpt, places } = branchHits(result);
      const branch = { url: result.url, kind: 'branch' as const, title: result.meta.title, branch: result.meta.branch, excerpt: excerpt ?? '' };
      return [...(excerpt === undefined ? [] : [branch]), ...places.map((place) => ({ ...place, branch: result.meta.branch }))];
    });
  } finally {
    await server.close();
  }
}
