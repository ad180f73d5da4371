import { HighlightCache } from './highlight-cache.ts';
import type { HighlightedFile, HighlightRequest } from './highlight-file.ts';
import { HighlightPool } from './highlight-pool.ts';
import { countSkippedLines } from './file-notes.ts';

/** Highlights diff files: from the cache when it has them, otherwise on the worker pool. */
export class HighlightService {
  private readonly cache: HighlightCache;
  private readonly pool: HighlightPool;

  constructor(options: { cacheDir?: string; workers?: number }) {
    this.cache = new HighlightCache(options.cacheDir);
    this.pool = new HighlightPool(options.workers);
  }

  /** Starts the workers ahead of the first file, for a build that will surely need them. */
  startWorkers(): void {
    this.pool.startWorkers();
  }

  /** Plans the workers' languages from the lines of each the build will highlight (HighlightPool.planLanguages). */
  planLanguages(linesByLanguage: ReadonlyMap<string, number>): void {
    this.pool.planLanguages(linesByLanguage);
  }

  async highlight(request: HighlightRequest): Promise<HighlightedFile> {
    const key = HighlightCache.key(request);
    const cached = await this.cache.get(key);
    if (cached) return cached;
    const lines = await this.pool.highlight(request);
    // Lines given up for time depend on how busy the machine was: try them again next build.
    if (!countSkippedLines(lines).slow) await this.cache.set(key, lines);
    return lines;
  }

  /** Cache entries found damaged this build (see HighlightCache.damaged). */
  get damagedEntries(): readonly string[] {
    return this.cache.damaged;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
