import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

describe('a page build that fails after the archive validated', () => {
  it('exits with 2 and says so, and leaves the previous site and no scratch folders behind', async () => {
    const work = await tempDir('ra-page-failure-');
    const content = path.join(work, 'content');
    const out = path.join(work, 'dist');
    const cache = path.join(work, 'cache');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    expect((await runBuild(['--content', content, '--out', out, '--cache', cache])).code).toBe(0);
    const before = await treeDigest(out);

    // A damaged cache: branch 7's rendered data is kept (its folder did not change), but its page
    // is due again because its neighbour's name changes, and Astro cannot read the data.
    // Damage of the same size: the build checks a cache file by its size (see damaged-cache.test.ts).
    const data = path.join(cache, 'data/branches/7.json');
    await writeFile(data, '{ not json'.padEnd((await readFile(data)).length));
    const branchFile = path.join(content, 'branches/8-draft/branch.md');
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace(/^name: .*$/m, 'name: draft-renamed'));
    const run = await runBuild(['--content', content, '--out', out, '--cache', cache]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`review-archive: the site build failed; ${out} was left as it was.`);
    expect(run.stderr).toMatch(/Astro failed: .*JSON/);
    expect(await treeDigest(out)).toEqual(before);
    expect((await readdir(work)).sort()).toEqual(['cache', 'content', 'dist']);
  });
});
