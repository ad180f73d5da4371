import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { searchSite } from '../support/pagefind.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

const fixture = 'test/fixtures/archives/good';

describe('building a good archive', () => {
  let work: string;
  let branchPage: string;
  let feedPage: string;

  beforeAll(async () => {
    work = await tempDir('ra-good-');
    const run = await runBuild(['--content', fixture, '--out', path.join(work, 'one'), '--cache', path.join(work, 'cache-one')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^review-archive: built 2 branches from test\/fixtures\/archives\/good into .*one in \d+\.\ds\n$/);
    branchPage = await readFile(path.join(work, 'one/branch/7/index.html'), 'utf8');
    feedPage = await readFile(path.join(work, 'one/index.html'), 'utf8');
  });

  it('writes the feed and one page per branch', async () => {
    expect(feedPage).toContain('greet-in-french');
    await expect(readFile(path.join(work, 'one/branch/8/index.html'), 'utf8')).resolves.toContain('An open branch with no CI and no tutorial');
  });

  it('never lets HTML from the archive run: scripts, handlers and javascript: URLs are gone', () => {
    for (const page of [branchPage, feedPage]) {
      expect(page).not.toMatch(/alert\(|onerror|javascript:/i);
    }
    expect(branchPage).toContain('<kbd>Ctrl</kbd>');
    expect(branchPage).toContain('href="https://example.org/docs"');
  });

  it('escapes a branch name that looks like HTML', async () => {
    const draft = await readFile(path.join(work, 'one/branch/8/index.html'), 'utf8');
    expect(draft).toContain('draft/&lt;b&gt;bold&lt;/b&gt;');
    // Inside a quoted attribute value (og:title) `<b>` is text; anywhere else it would be markup.
    const outsideAttributes = (html: string) => html.replace(/="[^"]*"/g, '=""');
    expect(draft).toMatch(/<meta property="og:title" content="draft\/<b>bold<\/b> · branch #8">/);
    expect(outsideAttributes(draft)).not.toContain('<b>bold</b>');
    expect(outsideAttributes(feedPage)).not.toContain('<b>bold</b>');
  });

  it('ships only its own small scripts, at most 10 KB gzipped per page, and loads nothing from another host', async () => {
    const { gzipSync } = await import('node:zlib');
    const searchPage = await readFile(path.join(work, 'one/search/index.html'), 'utf8');
    for (const page of [branchPage, feedPage, searchPage]) {
      const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toMatch(/^<script type="module" src="\/_astro\/[\w.-]+\.js">$/);
      const sources = await Promise.all(scripts.map((tag) => readFile(path.join(work, 'one', /src="([^"]+)"/.exec(tag)![1]!), 'utf8')));
      expect(sources.reduce((sum, source) => sum + gzipSync(source).length, 0)).toBeLessThan(10 * 1024);
      expect(page).not.toMatch(/(?:href|src)="(?:https?:)?\/\/(?!example\.org\/docs)/);
    }
  });

  it('has a search index that finds a branch, a step by a word of its explanation, and a file by its name', async () => {
    const site = path.join(work, 'one');
    expect((await searchSite(site, 'newline')).map((hit) => [hit.url, hit.kind, hit.title])).toEqual([['/branch/7/#step-2', 'step', 'Document the area helper']]);
    expect((await searchSite(site, 'shapes')).map((hit) => hit.url)).toEqual(['/branch/7/#diff-src-shapes-py']);
    expect((await searchSite(site, 'draft')).map((hit) => [hit.url, hit.branch])).toEqual([['/branch/8/', 'draft/<b>bold</b>']]);
    // Pagefind's own ready-made interfaces are not shipped: the search page has its own.
    expect((await readdir(path.join(site, 'pagefind/0'))).filter((name) => name.endsWith('.js')).sort()).toEqual(['pagefind-worker.js', 'pagefind.js']);
  });

  it('gives byte-identical output when built again from the same input', async () => {
    const again = await runBuild(['--content', fixture, '--out', path.join(work, 'two'), '--cache', path.join(work, 'cache-two')]);
    expect(again.code).toBe(0);
    expect(await treeDigest(path.join(work, 'two'))).toEqual(await treeDigest(path.join(work, 'one')));
  });

  it('replaces the previous output completely on a successful rebuild', async () => {
    const out = path.join(work, 'one');
    const rebuilt = await runBuild(['--content', fixture, '--out', out, '--cache', path.join(work, 'cache-one')]);
    expect(rebuilt.code).toBe(0);
    const siblings = await readdir(work);
    expect(siblings.filter((name) => name.startsWith('one.'))).toEqual([]);
  });
});
