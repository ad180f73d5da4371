import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, runScript } from '../support/run-build.ts';

const SITE = 'https://reviews.example.org/';

describe("a first build's pages, started before the site data is written", () => {
  it('wait for the data, and show what was written after Astro started, sitemap and all', async () => {
    const work = await tempDir('ra-early-pages-');
    const content = path.join(work, 'content');
    const cache = path.join(work, 'cache');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    await writeFile(path.join(content, 'archive.yaml'), `repo: example/greeter\ntitle: Greeter reviews\nurl: ${SITE}\n`);
    expect((await runBuild(['--content', content, '--cache', cache, '--content-only'])).code).toBe(0);
    const data = path.join(cache, 'data');
    // Not there when Astro starts: read any sooner than it is told, the build would fail.
    for (const name of ['site.json', 'branches.json']) await rename(path.join(data, name), path.join(data, `${name}.later`));

    const out = path.join(work, 'dist');
    const run = await runScript('test/support/early-pages.ts', [data, path.join(cache, 'astro'), out, SITE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('Greet people in French too');
    expect(await readFile(path.join(out, 'branch/7/index.html'), 'utf8')).toContain('Greet people in French too');
    const sitemap = await readFile(path.join(out, 'sitemap-0.xml'), 'utf8');
    expect(sitemap).toContain(`<loc>${SITE}branch/7/</loc>`);
    expect(sitemap).toContain(`<loc>${SITE}stats/</loc>`);
  }, 300_000);
});
