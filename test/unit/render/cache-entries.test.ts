import { createHash } from 'node:crypto';
import { readdir, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HighlightCache } from '../../../scripts/render/highlight-cache.ts';
import { LogRenderer } from '../../../scripts/logs/lane-log.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { renderedHtml } from '../../support/log-html.ts';

/** Every file below `dir` (entries of a cache), sorted. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

/**
 * Changes one letter inside the file, keeping its size, its JSON valid and its time to the
 * millisecond: what neither a size check nor a parse can tell from the real entry.
 */
async function flipALetter(file: string, word = 'greet'): Promise<void> {
  const before = await stat(file);
  const text = await readFile(file, 'utf8');
  const at = text.indexOf(word, 80);
  expect(at, `no "${word}" in ${file}`).toBeGreaterThan(0);
  await writeFile(file, `${text.slice(0, at)}${word[0]!.toUpperCase()}${text.slice(at + 1)}`);
  await utimes(file, before.atime, before.mtime);
  expect((await stat(file)).size).toBe(before.size);
}

describe('the highlighting cache', () => {
  const request = { language: 'typescript', hunks: [[{ kind: 'add' as const, text: 'export function greet(name: string) { return `hello ${name}`; }' }]] };
  const highlighted = [['<span class=kx1>export function greet</span>']];

  it('gives back what was stored, and takes an entry changed at the same size for a damaged one', async () => {
    const dir = path.join(await tempDir('ra-highlight-cache-'), 'highlight');
    const key = HighlightCache.key(request);
    await new HighlightCache(dir).set(key, highlighted);
    expect(await new HighlightCache(dir).get(key)).toEqual(highlighted);

    const [entry] = await filesBelow(dir);
    await flipALetter(entry!);
    const cache = new HighlightCache(dir);
    expect(await cache.get(key)).toBeUndefined();
    expect(cache.damaged).toEqual([path.relative(path.dirname(dir), entry!)]);
  });

  it('takes an entry cut short for a damaged one, and a missing one for one not made yet', async () => {
    const dir = path.join(await tempDir('ra-highlight-cache-'), 'highlight');
    const key = HighlightCache.key(request);
    await new HighlightCache(dir).set(key, highlighted);
    const [entry] = await filesBelow(dir);
    await truncate(entry!, 40);
    const cache = new HighlightCache(dir);
    expect(await cache.get(key)).toBeUndefined();
    expect(await cache.get(HighlightCache.key({ ...request, language: 'rust' }))).toBeUndefined();
    expect(cache.damaged).toEqual([path.relative(path.dirname(dir), entry!)]);
  });
});

describe('the rendered log cache', () => {
  async function logFixture(lines: number) {
    const work = await tempDir('ra-log-cache-');
    const file = path.join(work, 'test.log');
    const text = Array.from({ length: lines }, (_, i) => `step ${i + 1}: greet the world`).join('\n') + '\n';
    await writeFile(file, text);
    const log = { relative: 'test.log', file, size: text.length, gzip: false, sha256: createHash('sha256').update(text).digest('hex') };
    return { work, log, cacheDir: path.join(work, 'logs') };
  }
  const limits = { pageLines: 20, headLines: 5, tailLines: 10, context: 1, maxErrorBlocks: 5, listedErrors: 5 };

  it('renders a log again when its cached rendering was changed at the same size', async () => {
    const { work, log, cacheDir } = await logFixture(10);
    const first = await new LogRenderer(cacheDir, limits).render(log, 'run-1-test', path.join(work, 'a.txt'), 'a.txt');
    // The HTML as first rendered: a result names its entry's file, whose bytes are what counts.
    const html = renderedHtml(first.html);
    const [entry] = (await filesBelow(cacheDir)).filter((file) => file.endsWith('.entry'));
    await flipALetter(entry!, 'totalLines');
    const renderer = new LogRenderer(cacheDir, limits);
    const again = await renderer.render(log, 'run-1-test', path.join(work, 'b.txt'), 'a.txt');
    expect(again).toEqual(first);
    expect(renderedHtml(again.html)).toBe(html);
    expect(renderer.damaged).toEqual([path.relative(work, entry!)]);
    // Written again whole: the next build finds it intact.
    const next = new LogRenderer(cacheDir, limits);
    expect(await next.render(log, 'run-1-test', path.join(work, 'c.txt'), 'a.txt')).toEqual(first);
    expect(next.damaged).toEqual([]);
  });

  it('renders a log again when the HTML kept after its entry was changed at the same size, and never uses the changed HTML', async () => {
    const { work, log, cacheDir } = await logFixture(10);
    const first = await new LogRenderer(cacheDir, limits).render(log, 'run-1-test', path.join(work, 'a.txt'), 'a.txt');
    const html = renderedHtml(first.html);
    const [entry] = (await filesBelow(cacheDir)).filter((file) => file.endsWith('.entry'));
    // A letter of the log's text, after the entry's first line: the HTML, not the facts.
    await flipALetter(entry!, 'greet');
    expect(renderedHtml(first.html)).not.toBe(html);
    const renderer = new LogRenderer(cacheDir, limits);
    const again = await renderer.render(log, 'run-1-test', path.join(work, 'b.txt'), 'a.txt');
    expect(again).toEqual(first);
    expect(renderedHtml(again.html)).toBe(html);
    expect(renderer.damaged).toEqual([path.relative(work, entry!)]);
  });

  it('renders a long log again when the whole text kept beside it was changed, and never publishes the changed text', async () => {
    const { work, log, cacheDir } = await logFixture(100);
    const published = path.join(work, 'site/test.txt');
    const first = await new LogRenderer(cacheDir, limits).render(log, 'run-1-test', published, 'test.txt');
    expect(first.truncated).toBe(true);
    const original = await readFile(published, 'utf8');
    const [text] = (await filesBelow(cacheDir)).filter((file) => file.endsWith('.txt'));
    await flipALetter(text!);
    const renderer = new LogRenderer(cacheDir, limits);
    const again = path.join(work, 'site-2/test.txt');
    expect(await renderer.render(log, 'run-1-test', again, 'test.txt')).toEqual(first);
    expect(renderer.damaged).toEqual([path.relative(work, text!)]);
    expect(await readFile(again, 'utf8')).toBe(original);
  });
});
