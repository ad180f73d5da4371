import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../lib/data-dir.ts';

/**
 * The token colour classes of the highlighted code, written by the content build. One shared file
 * for all pages, so the browser caches it once.
 */
export async function GET(): Promise<Response> {
  return new Response(await readFile(path.join(dataDir, 'highlight.css'), 'utf8'), { headers: { 'Content-Type': 'text/css; charset=utf-8' } });
}
