import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild } from '../support/run-build.ts';

const SITE = 'https://reviews.example.org/';
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!);

describe('the sitemap of an incremental build', () => {
  it('still lists every page (the feed and its filters too) after a step edit, as a fresh build does', async () => {
    const work = await tempDir('ra-sitemap-');
    const content = path.join(work, 'content');
    const out = path.join(work, 'dist');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    await writeFile(path.join(content, 'archive.yaml'), `repo: example/greeter\ntitle: Greeter reviews\nurl: ${SITE}\npage_size: 1\n`);
    expect((await runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')])).code).toBe(0);
    const first = locs(await readFile(path.join(out, 'sitemap-0.xml'), 'utf8'));
    expect(first).toContain(SITE);
    expect(first).toContain(`${SITE}page/2/`);
    expect(first).toContain(`${SITE}state/merged/`);
    expect(first).toContain(`${SITE}stats/`);
    expect(first).toContain(`${SITE}branch/7/`);

    const step = path.join(content, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md');
    await writeFile(step, `${await readFile(step, 'utf8')}\nOne more sentence.\n`);
    const run = await runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 changed branch pages rebuilt/);
    const fresh = path.join(work, 'fresh');
    expect((await runBuild(['--content', content, '--out', fresh, '--cache', path.join(work, 'fresh-cache')])).code).toBe(0);
    const sitemap = await readFile(path.join(out, 'sitemap-0.xml'), 'utf8');
    expect(locs(sitemap)).toEqual(first);
    expect(sitemap).toBe(await readFile(path.join(fresh, 'sitemap-0.xml'), 'utf8'));
  }, 600_000);
});
