import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { LaneLogFile } from '../archive/lane-logs.ts';
import { sealJson, unsealJson } from '../build/sealed-json.ts';
import { DEFAULT_LOG_LIMITS, viewLog, type LogLimits } from './log-view.ts';
import { readLogByteLines } from './read-lines.ts';
import { renderLogBytes } from './render-log.ts';

/**
 * The name of a cache entry's file after its key (`.json` and `.html` apart before, which builds
 * now pass by); the site data's links to entries end the same way (render-ci.ts).
 */
export const ENTRY = '.entry';

/** Bump when the rendered HTML of a log changes for the same bytes, so cached renderings are not reused. */
const LOG_RENDER_VERSION = 3;
const anserVersion = (createRequire(import.meta.url)('anser/package.json') as { version: string }).version;

/**
 * Where a rendered log's HTML is: in the cache entry it was kept in, a range of that file (what a
 * build uses: the site data links the entry, and the CI page's bytes are copied from it, so the
 * HTML is written once before the page), or in memory, rendered without a cache.
 */
export type LogHtml = { bytes: Buffer } | { entry: CachedHtml };

/** The HTML's range of a cache entry's file (everything after its first line), with its sha256. */
export interface CachedHtml {
  file: string;
  start: number;
  length: number;
  sha256: string;
}

/** A lane's log, rendered for its page. */
export interface RenderedLog {
  /** The log's lines as escaped HTML, in UTF-8. */
  html: LogHtml;
  totalLines: number;
  shownLines: number;
  errorCount: number;
  /** The first error lines: number, anchor and text. */
  errors: Array<{ line: number; anchor: string; text: string }>;
  /** Whether the page shows only part of the log; then the whole log is published as plain text. */
  truncated: boolean;
  /** The sha256 of that plain text file, as published. */
  textSha256?: string;
}

/** A log to render, under its cache key. */
export interface LogJob {
  key: string;
  log: LaneLogFile;
  anchorPrefix: string;
  textFile: string;
  textFileHref: string;
}

/** Renders logs the cache does not have elsewhere (LogPool, in worker threads). */
export interface LogJobRenderer {
  render(job: LogJob): Promise<RenderedLog>;
}

/**
 * Renders logs once per content: the result is kept in `<cacheDir>` under a hash of the log's
 * bytes, its anchors, the limits and the renderer's version, like highlighted code. A build that
 * finds a log there does not read the log at all.
 */
export class LogRenderer {
  private readonly cacheDir: string | undefined;
  private readonly limits: LogLimits;
  private readonly pool: LogJobRenderer | undefined;

  /** @param pool renders the logs the cache does not have in worker threads (log-pool.ts); without one, they are rendered here */
  constructor(cacheDir: string | undefined, limits: LogLimits = DEFAULT_LOG_LIMITS, pool?: LogJobRenderer) {
    this.cacheDir = cacheDir;
    this.limits = limits;
    this.pool = pool;
  }

  /**
   * @param anchorPrefix the lane's anchor, e.g. `run-169-check-fixture`; lines are `<prefix>-L<n>`
   * @param textFile where the whole log goes as plain text when the page shows only part of it
   * @param textFileHref the link to that file from the page
   */
  async render(log: LaneLogFile, anchorPrefix: string, textFile: string, textFileHref: string): Promise<RenderedLog> {
    const key = createHash('sha256').update(JSON.stringify([LOG_RENDER_VERSION, anserVersion, this.limits, anchorPrefix, textFileHref, log.gzip, log.sha256])).digest('hex');
    const cached = this.cacheDir ? await this.fromCache(key, textFile) : undefined;
    if (cached) return cached;
    const job: LogJob = { key, log, anchorPrefix, textFile, textFileHref };
    return this.pool ? this.pool.render(job) : this.renderFresh(job);
  }

  /** Whether logs the cache does not have are rendered in worker threads, so that many may be asked for at once. */
  get rendersInWorkers(): boolean {
    return this.pool !== undefined;
  }

  /** Renders a log the cache does not have, and keeps it there (LogPool's workers run this). */
  async renderFresh({ key, log, anchorPrefix, textFile, textFileHref }: LogJob): Promise<RenderedLog> {
    // Unique to the thread: two workers may render the same log (same bytes and anchors on two branches).
    const temporary = `${process.pid}-${threadId}.tmp`;
    const scratch = this.cacheDir ? this.cachePath(key, '.txt') : textFile;
    if (this.cacheDir) this.folder(path.dirname(scratch));
    const view = await viewLog(readLogByteLines(log.file, log.gzip), `${scratch}.${temporary}`, this.limits);
    const html = renderLogBytes(view, anchorPrefix, view.truncated ? textFileHref : undefined);
    const facts: Omit<RenderedLog, 'html'> = {
      totalLines: view.totalLines,
      shownLines: view.shown.length,
      errorCount: view.errorCount,
      errors: view.errors.map((error) => ({ line: error.number, anchor: `${anchorPrefix}-L${error.number}`, text: error.text })),
      truncated: view.truncated,
      ...(view.textSha256 && { textSha256: view.textSha256 }),
    };
    // The files synchronously: this runs in a log worker (log-pool.ts), one log at a time, where
    // the promises and the thread pool's hand-offs of a dozen calls per log cost more than the calls.
    if (view.truncated) renameSync(`${scratch}.${temporary}`, scratch);
    if (!this.cacheDir) return { html: { bytes: html }, ...facts };
    const file = this.cachePath(key, ENTRY);
    const sha256 = hashBytes(html);
    const entry: CacheEntry = { rendered: facts, htmlSha256: sha256, ...(view.textSha256 && { textSha256: view.textSha256 }) };
    const line = Buffer.from(`${sealJson(JSON.stringify(entry))}\n`);
    writeEntrySync(`${file}.${temporary}`, line, html);
    renameSync(`${file}.${temporary}`, file);
    if (view.truncated) placeFileSync(scratch, textFile);
    return { html: { entry: { file, start: line.length, length: html.length, sha256 } }, ...facts };
  }

  /** Folders of the cache made so far: a build renders thousands of logs into 256 of them. */
  private readonly made = new Set<string>();

  private folder(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  private cachePath(key: string, extension: string): string {
    return path.join(this.cacheDir!, key.slice(0, 2), `${key.slice(2)}${extension}`);
  }

  /**
   * The cached rendering, or undefined when there is none or it is damaged: its JSON no longer
   * matches the hash sealed into it, or the whole log's text file no longer has the hash recorded
   * for it. A damaged entry is recorded in `damaged` and rendered again.
   */
  private async fromCache(key: string, textFile: string): Promise<RenderedLog | undefined> {
    const file = this.cachePath(key, ENTRY);
    const bytes = await readFile(file).catch(() => undefined);
    // Missing: not rendered yet (entries are written whole, by rename).
    if (bytes === undefined) return undefined;
    const newline = bytes.indexOf(0x0a);
    const unsealed = newline === -1 ? undefined : unsealJson(bytes.toString('utf8', 0, newline));
    const entry = unsealed?.kind === 'ok' ? (JSON.parse(unsealed.json) as CacheEntry) : undefined;
    const html = bytes.subarray(newline + 1);
    if (!entry || hashBytes(html) !== entry.htmlSha256) return this.damage(file);
    if (entry.rendered.truncated) {
      const whole = this.cachePath(key, '.txt');
      if ((await hashFile(whole).catch(() => undefined)) !== entry.textSha256) return this.damage(whole);
      await placeText(whole, textFile);
    }
    return { html: { entry: { file, start: newline + 1, length: html.length, sha256: entry.htmlSha256 } }, ...entry.rendered };
  }

  private damage(file: string): undefined {
    this.damaged.push(path.relative(path.dirname(this.cacheDir!), file));
    return undefined;
  }

  /** Entries found damaged (paths relative to the cache's parent folder, e.g. `logs/ab/cd….json`); each is rendered and written again. */
  readonly damaged: string[] = [];
}

/**
 * A cache entry, the first line of its file: the rendering but its HTML, which is the rest of the
 * file (as bytes: inside the JSON it would be escaped, copied and hashed as one huge string), with
 * the HTML's hash, and the hash of the whole log's text file beside it when the page shows only
 * part. One file, not the JSON and the HTML apart: a cold build writes one per log, thousands.
 */
interface CacheEntry {
  rendered: Omit<RenderedLog, 'html'>;
  htmlSha256: string;
  textSha256?: string;
}

function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Publishes the whole log's text from the cache by hard link (a copy where links cannot go): it is
 * often the largest file of a branch. Safe, since no build writes either file in place, and the
 * cache's copy is checked by hash before each use.
 */
async function placeText(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await rm(to, { force: true });
  await link(from, to).catch(() => copyFile(from, to));
}

/** Writes an entry's line and its HTML after it (the HTML is not copied into one buffer with it). */
function writeEntrySync(file: string, line: Buffer, html: Buffer): void {
  const fd = openSync(file, 'w');
  try {
    for (const bytes of [line, html]) for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
  } finally {
    closeSync(fd);
  }
}

/**
 * placeText in a log worker, and wherever a build publishes a file it keeps (site-pages.ts puts
 * each branch's images and whole logs beside its page with it): `to` is replaced, never written
 * through, by a hard link to `from`, or a copy where links cannot go.
 */
export function placeFileSync(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
