import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { LOG_PLACEHOLDERS } from '../logs/log-placeholder.ts';
import type { SiteCiLogs, SiteLaneLog } from '../schema/site.ts';
import type { KnownFile } from './site-snapshot.ts';

/** Bytes copied from a log file at a time: a CI page's logs are megabytes, and never held whole here. */
const COPY_CHUNK = 1 << 20;

/**
 * Puts the rendered logs into the CI pages Astro wrote in `renderDir` (its placeholders, see
 * scripts/logs/log-placeholder.ts): each branch's `branch/<id>/ci/index.html` from `ci/<id>.json`
 * of the site data, each nightly job's `nightly/<slug>/index.html` from `nightly/<slug>.json`,
 * each log's bytes from the file of the site data it names. Pages Astro did not write this time
 * (an incremental build) are left alone. Returns the pages written, by path below `renderDir`,
 * with their hashes: the site's snapshot need not read them again.
 */
export async function spliceCiPages(renderDir: string, dataDir: string): Promise<Map<string, KnownFile>> {
  const pages: Array<{ page: string; data: string }> = [];
  for (const id of await readdir(path.join(renderDir, 'branch')).catch(() => [] as string[])) {
    pages.push({ page: `branch/${id}/ci/index.html`, data: path.join(dataDir, 'ci', `${id}.json`) });
  }
  for (const name of await readdir(path.join(dataDir, 'nightly')).catch(() => [] as string[])) {
    if (name.endsWith('.json')) pages.push({ page: `nightly/${name.slice(0, -5)}/index.html`, data: path.join(dataDir, 'nightly', name) });
  }
  const written = new Map<string, KnownFile>();
  for (const { page, data } of pages) {
    const file = path.join(renderDir, ...page.split('/'));
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const logs = JSON.parse(await readFile(data, 'utf8')) as SiteCiLogs;
    const result = await spliceLogs(file, text, logs, dataDir);
    if (result) written.set(page, result);
  }
  return written;
}

/**
 * Writes `page` (whose text is `text`) again with each placeholder replaced by its log's bytes
 * from its file in `dataDir`, through a file beside it that then takes its place, hashing what it
 * writes. Every log must be placed once: a page that lost one, or a placeholder for a log that is
 * not there, is a bug, never a silent gap. Returns undefined for a page without logs (left as it is).
 */
export async function spliceLogs(page: string, text: string, logs: SiteCiLogs, dataDir: string): Promise<KnownFile | undefined> {
  const pieces: Array<string | SiteLaneLog> = [];
  const placed = new Set<string>();
  let last = 0;
  for (const match of text.matchAll(LOG_PLACEHOLDERS)) {
    const key = match[1]!;
    const log = Object.hasOwn(logs, key) ? logs[key] : undefined;
    if (!log || placed.has(key)) throw new Error(`${page}: a placeholder for the log ${JSON.stringify(key)} ${log ? 'appears twice' : 'that the site data does not have'}`);
    placed.add(key);
    pieces.push(text.slice(last, match.index), log);
    last = match.index + match[0].length;
  }
  const missing = Object.keys(logs).find((key) => !placed.has(key));
  if (missing !== undefined) throw new Error(`${page}: the page has no place for the log ${JSON.stringify(missing)}`);
  if (!placed.size) return undefined;
  pieces.push(text.slice(last));

  const temporary = `${page}.${process.pid}.splice`;
  const hash = createHash('sha256');
  // Synchronous, through one buffer: the logs' bytes (1.6 GB of them for the bench's corpus) were
  // each copied into a buffer of their own for a stream, which the main thread's collector then
  // ran after; the pages are spliced one after another anyway.
  let out: number | undefined;
  try {
    out = openSync(temporary, 'w');
    const buffer = (spliceBuffer ??= Buffer.allocUnsafe(COPY_CHUNK));
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        const bytes = Buffer.from(piece);
        hash.update(bytes);
        writeAll(out, bytes);
      } else {
        copyRange(out, path.join(dataDir, ...piece.htmlFile.split('/')), piece.htmlBytes, buffer, hash);
      }
    }
    const { ino, size } = fstatSync(out);
    const done = out;
    out = undefined;
    closeSync(done);
    await rename(temporary, page);
    return { sha256: hash.digest('hex'), ino, size };
  } catch (error) {
    if (out !== undefined) closeSync(out);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Copies `[position, position + length)` of `file` to `out` through `buffer`, hashing it on the way. */
function copyRange(out: number, file: string, [position, length]: readonly [number, number], buffer: Buffer, hash: Hash): void {
  const source = openSync(file, 'r');
  try {
    let left = length;
    while (left > 0) {
      const bytesRead = readSync(source, buffer, 0, Math.min(left, COPY_CHUNK), position);
      if (bytesRead === 0) throw new Error(`${file} ends before byte ${position + left}`);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      writeAll(out, chunk);
      position += bytesRead;
      left -= bytesRead;
    }
  } finally {
    closeSync(source);
  }
}

/** One buffer for every page's logs: the copying has no await, so no two splices use it at once. */
let spliceBuffer: Buffer | undefined;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
