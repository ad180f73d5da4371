import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { LogHtml } from '../../scripts/logs/lane-log.ts';
import type { SiteCiLogs } from '../../scripts/schema/site.ts';

/** The bytes of `[start, start + length)` of a file. */
function readRange(file: string, start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, bytes, 0, length, start);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** A rendered log's HTML as text, wherever it is: in memory, or its range of a cache entry. */
export function renderedHtml(html: LogHtml): string {
  if ('bytes' in html) return html.bytes.toString('utf8');
  return readRange(html.entry.file, html.entry.start, html.entry.length).toString('utf8');
}

/** Each log's HTML of a CI page's site data (`dataDir` holds the files its logs name), by key. */
export function pageLogsHtml(logs: SiteCiLogs, dataDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(logs).map(([key, log]) => [key, readRange(path.join(dataDir, ...log.htmlFile.split('/')), ...log.htmlBytes).toString('utf8')]));
}
