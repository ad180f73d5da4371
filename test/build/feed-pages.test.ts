import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

/**
 * An archive of three branches (#3 and #8 open, #7 merged) with two branches per page, a site URL
 * with a path and a nightly job: the feed's pages, filters, RSS, sitemap and prev/next links.
 */
const SITE = 'https://reviews.example.org/team/';

const hrefs = (html: string) => [...html.matchAll(/href="?([^"\s>]+)/g)].map((m) => m[1]!);
const branchLinks = (html: string) => [...new Set(hrefs(html).filter((h) => /^\/team\/branch\/\d+\/$/.test(h)))].map((h) => Number(/(\d+)/.exec(h)![1]));
const page = (out: string, file: string) => readFile(path.join(out, file, 'index.html'), 'utf8');

describe('the feed of an archive with page_size, url and nightly runs', () => {
  let work: string;
  let content: string;
  let out: string;
  const build = () => runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);

  beforeAll(async () => {
    work = await tempDir('ra-feed-');
    content = path.join(work, 'content');
    out = path.join(work, 'dist');
    await cp('test/fixtures/archives/unusual', content, { recursive: true });
    await cp('test/fixtures/archives/good/branches', path.join(content, 'branches'), { recursive: true });
    await writeFile(path.join(content, 'archive.yaml'), `repo: example/greeter\ntitle: Greeter reviews\nurl: ${SITE}\npage_size: 2\n`);
    await mkdir(path.join(content, 'nightly'));
    await writeFile(
      path.join(content, 'nightly', 'fuzz.yaml'),
      ['name: Nightly fuzzing', 'runs:', '  - id: 1', '    status: failed', '    head: abcdef1', '    queued_at: 2026-10-03T02:00:00Z', '    lanes:', '      - { name: parser-fuzz, status: failed }', ''].join('\n'),
    );
    const first = await build();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
  });

  it('cuts the feed into pages of page_size, open branches first, under the base path of the url', async () => {
    expect(branchLinks(await page(out, ''))).toEqual([8, 3]);
    expect(branchLinks(await page(out, 'page/2'))).toEqual([7]);
    expect(existsSync(path.join(out, 'page/3'))).toBe(false);
    expect(existsSync(path.join(out, 'page/1'))).toBe(false);
  });

  it('links pages to each other with Newer/Older and numbered links', async () => {
    const first = await page(out, '');
    const second = await page(out, 'page/2');
    expect(first).toMatch(/<a class="?pager-step"? href="?\/team\/page\/2\/"? rel="?next"?/);
    expect(first).not.toContain('rel="prev"');
    expect(second).toMatch(/<a class="?pager-step"? href="?\/team\/"? rel="?prev"?/);
    expect(second).toMatch(/href="?\/team\/page\/2\/"? aria-current="?page"?/);
  });

  it('writes a page per filter value that occurs, each holding exactly its branches', async () => {
    expect(branchLinks(await page(out, 'state/open'))).toEqual([8, 3]);
    expect(branchLinks(await page(out, 'state/merged'))).toEqual([7]);
    expect(existsSync(path.join(out, 'state/closed'))).toBe(false);
    const filters = (await readdir(out)).filter((name) => ['state', 'ci', 'tutorial'].includes(name));
    expect(filters.sort()).toEqual(['ci', 'state', 'tutorial']);
    // The feed links every filter page it wrote.
    const first = await page(out, '');
    for (const facet of filters) {
      for (const value of await readdir(path.join(out, facet))) expect(hrefs(first)).toContain(`/team/${facet}/${value}/`);
    }
  });

  it('shows the nightly job on the first page only', async () => {
    expect(await page(out, '')).toContain('Nightly fuzzing');
    expect(await page(out, 'page/2')).not.toContain('Nightly fuzzing');
  });

  it('writes rss.xml with the merged branches and absolute links', async () => {
    const rss = await readFile(path.join(out, 'rss.xml'), 'utf8');
    const links = [...rss.matchAll(/<item>.*?<link>(.*?)<\/link>/gs)].map((m) => m[1]);
    expect(links).toEqual([`${SITE}branch/7/`]);
    expect(rss).toContain(`<link>${SITE}</link>`);
  });

  it('writes a sitemap listing every branch page with its date, and no search page', async () => {
    const sitemap = await readFile(path.join(out, 'sitemap-0.xml'), 'utf8');
    for (const id of [3, 7, 8]) expect(sitemap).toContain(`<loc>${SITE}branch/${id}/</loc>`);
    expect(sitemap).toContain(`<loc>${SITE}</loc>`);
    expect(sitemap).not.toContain('/search/');
  });

  it('links each branch page to the previous and next branch by id', async () => {
    const seven = await page(out, 'branch/7');
    expect(seven).toMatch(/href="?\/team\/branch\/3\/"? rel="?prev"?/);
    expect(seven).toMatch(/href="?\/team\/branch\/8\/"? rel="?next"?/);
    expect(await page(out, 'branch/3')).not.toContain('rel="prev"');
  });

  it('rebuilds the neighbour of a new branch too, so its "next" link appears, and equals a fresh build', async () => {
    await cp(path.join(content, 'branches/7-greet-in-french'), path.join(content, 'branches/9-greet-in-german'), { recursive: true });
    const branchFile = path.join(content, 'branches/9-greet-in-german/branch.md');
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace(/^id: 7$/m, 'id: 9').replace(/^name: .*$/m, 'name: greet-in-german'));
    const run = await build();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 changed branch pages rebuilt/);
    expect(await page(out, 'branch/8')).toMatch(/href="?\/team\/branch\/9\/"? rel="?next"?/);
    const fresh = path.join(work, 'fresh');
    expect((await runBuild(['--content', content, '--out', fresh, '--cache', path.join(work, 'fresh-cache')])).code).toBe(0);
    expect(await treeDigest(out)).toEqual(await treeDigest(fresh));
  });

  it('reports a bad nightly file with its file, field and line, and keeps the site', async () => {
    const broken = path.join(work, 'broken');
    await cp(content, broken, { recursive: true });
    await writeFile(path.join(broken, 'nightly', 'fuzz.yaml'), 'runs:\n  - id: 1\n    status: green\n    head: abcdef1\n    queued_at: 2026-10-03T02:00:00Z\n');
    await writeFile(path.join(broken, 'nightly', 'notes.txt'), 'not a job\n');
    const before = await treeDigest(out);
    const run = await runBuild(['--content', broken, '--out', out, '--cache', path.join(work, 'cache')]);
    expect(run.code).toBe(1);
    const shown = path.relative(process.cwd(), broken);
    expect(run.stderr).toContain(`${shown}/nightly/fuzz.yaml:3: runs[0].status: must be one of success, failed, running, queued, cancelled, not "green"`);
    expect(run.stderr).toContain(`${shown}/nightly/notes.txt: is not a nightly job`);
    expect(await treeDigest(out)).toEqual(before);
  });
});
