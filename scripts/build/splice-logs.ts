import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { LOG_PLACEHOLDERS } from '../logs/log-placeholder.ts';
import type { SiteCiLogs } from '../schema/site.ts';

/** Bytes copied from a log file at a time: a CI page's logs are megabytes, and never held whole here. */
const COPY_CHUNK = 1 << 20;

/**
 * Puts the rendered logs into the CI pages Astro wrote in `renderDir` (its placeholders, see
 * scripts/logs/log-placeholder.ts): each branch's `branch/<id>/ci/index.html` from `ci/<id>.json`
 * and `ci/<id>.html` of the site data, each nightly job's `nightly/<slug>/index.html` from
 * `nightly/<slug>.*`. Pages Astro did not write this time (an incremental build) are left alone.
 */
export async function spliceCiPages(renderDir: string, dataDir: string): Promise<void> {
  const pages: Array<{ page: string; data: string }> = [];
  for (const id of await readdir(path.join(renderDir, 'branch')).catch(() => [] as string[])) {
    pages.push({ page: path.join(renderDir, 'branch', id, 'ci', 'index.html'), data: path.join(dataDir, 'ci', id) });
  }
  for (const name of await readdir(path.join(dataDir, 'nightly')).catch(() => [] as string[])) {
    if (name.endsWith('.json')) pages.push({ page: path.join(renderDir, 'nightly', name.slice(0, -5), 'index.html'), data: path.join(dataDir, 'nightly', name.slice(0, -5)) });
  }
  for (const { page, data } of pages) {
    const text = await readFile(page, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const logs = JSON.parse(await readFile(`${data}.json`, 'utf8')) as SiteCiLogs;
    await spliceLogs(page, text, logs, `${data}.html`);
  }
}

/**
 * Writes `page` (whose text is `text`) again with each placeholder replaced by its log's bytes from
 * `htmlFile`, through a file beside it that then takes its place. Every log must be placed once:
 * a page that lost one, or a placeholder for a log that is not there, is a bug, never a silent gap.
 */
export async function spliceLogs(page: string, text: string, logs: SiteCiLogs, htmlFile: string): Promise<void> {
  const pieces: Array<string | [number, number]> = [];
  const placed = new Set<string>();
  let last = 0;
  for (const match of text.matchAll(LOG_PLACEHOLDERS)) {
    const key = match[1]!;
    const log = Object.hasOwn(logs, key) ? logs[key] : undefined;
    if (!log || placed.has(key)) throw new Error(`${page}: a placeholder for the log ${JSON.stringify(key)} ${log ? 'appears twice' : 'that the site data does not have'}`);
    placed.add(key);
    pieces.push(text.slice(last, match.index), log.htmlBytes);
    last = match.index + match[0].length;
  }
  const missing = Object.keys(logs).find((key) => !placed.has(key));
  if (missing !== undefined) throw new Error(`${page}: the page has no place for the log ${JSON.stringify(missing)}`);
  if (!placed.size) return;
  pieces.push(text.slice(last));

  const temporary = `${page}.${process.pid}.splice`;
  // Synchronous, through one buffer: the logs' bytes (200 MB of them for the bench's corpus) were
  // each copied into a buffer of their own for a stream, which the main thread's collector then
  // ran after; the pages are spliced one after another anyway.
  const source = openSync(htmlFile, 'r');
  let out: number | undefined;
  try {
    out = openSync(temporary, 'w');
    const buffer = (spliceBuffer ??= Buffer.allocUnsafe(COPY_CHUNK));
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        writeAll(out, Buffer.from(piece));
        continue;
      }
      let [position, left] = piece;
      while (left > 0) {
        const bytesRead = readSync(source, buffer, 0, Math.min(left, COPY_CHUNK), position);
        if (bytesRead === 0) throw new Error(`${htmlFile} ends before byte ${position + left}`);
        writeAll(out, buffer.subarray(0, bytesRead));
        position += bytesRead;
        left -= bytesRead;
      }
    }
    const written = out;
    out = undefined;
    closeSync(written);
    await rename(temporary, page);
  } catch (error) {
    if (out !== undefined) closeSync(out);
    await rm(temporary, { force: true });
    throw error;
  } finally {
    closeSync(source);
  }
}

/** One buffer for every page's logs: the copying has no await, so no two splices use it at once. */
let spliceBuffer: Buffer | undefined;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
