import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LaneLogFile } from '../archive/lane-logs.ts';
import { DEFAULT_LOG_LIMITS, viewLog, type LogLimits } from './log-view.ts';
import { readLogLines } from './read-lines.ts';
import { renderLogHtml } from './render-log.ts';

/** Bump when the rendered HTML of a log changes for the same bytes, so cached renderings are not reused. */
const LOG_RENDER_VERSION = 2;
const anserVersion = (createRequire(import.meta.url)('anser/package.json') as { version: string }).version;

/** A lane's log, rendered for its page. */
export interface RenderedLog {
  html: string;
  totalLines: number;
  shownLines: number;
  errorCount: number;
  /** The first error lines: number, anchor and text. */
  errors: Array<{ line: number; anchor: string; text: string }>;
  /** Whether the page shows only part of the log; then the whole log is published as plain text. */
  truncated: boolean;
}

/**
 * Renders logs once per content: the result is kept in `<cacheDir>` under a hash of the log's
 * bytes, its anchors, the limits and the renderer's version, like highlighted code. A build that
 * finds a log there does not read the log at all.
 */
export class LogRenderer {
  private readonly cacheDir: string | undefined;
  private readonly limits: LogLimits;

  constructor(cacheDir: string | undefined, limits: LogLimits = DEFAULT_LOG_LIMITS) {
    this.cacheDir = cacheDir;
    this.limits = limits;
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
    const scratch = this.cacheDir ? this.cachePath(key, '.txt') : textFile;
    if (this.cacheDir) await mkdir(path.dirname(scratch), { recursive: true });
    const view = await viewLog(readLogLines(log.file, log.gzip), `${scratch}.${process.pid}.tmp`, this.limits);
    const rendered: RenderedLog = {
      html: renderLogHtml(view, anchorPrefix, view.truncated ? textFileHref : undefined),
      totalLines: view.totalLines,
      shownLines: view.shown.length,
      errorCount: view.errorCount,
      errors: view.errors.map((error) => ({ line: error.number, anchor: `${anchorPrefix}-L${error.number}`, text: error.text })),
      truncated: view.truncated,
    };
    if (view.truncated) await rename(`${scratch}.${process.pid}.tmp`, scratch);
    if (this.cacheDir) {
      const file = this.cachePath(key, '.json');
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(rendered));
      await rename(temporary, file);
      if (view.truncated) await placeText(scratch, textFile);
    }
    return rendered;
  }

  private cachePath(key: string, extension: string): string {
    return path.join(this.cacheDir!, key.slice(0, 2), `${key.slice(2)}${extension}`);
  }

  private async fromCache(key: string, textFile: string): Promise<RenderedLog | undefined> {
    try {
      const rendered = JSON.parse(await readFile(this.cachePath(key, '.json'), 'utf8')) as RenderedLog;
      if (rendered.truncated) await placeText(this.cachePath(key, '.txt'), textFile);
      return rendered;
    } catch {
      // Missing or half-written by an interrupted build: render again.
      return undefined;
    }
  }
}

async function placeText(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await rm(to, { force: true });
  await copyFile(from, to);
}
