import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

    // Astro cannot write its scratch folder (a file stands where the build's .astro/ goes), and
    // branch 7's page is due again because its neighbour's name changes. The cache's data files
    // themselves cannot be used for this any more: damage to them is caught (damaged-cache.test.ts).
    const scratch = path.join(cache, 'astro/work/.astro');
    await rm(scratch, { recursive: true, force: true });
    await writeFile(scratch, 'not a folder');
    const branchFile = path.join(content, 'branches/8-draft/branch.md');
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace(/^name: .*$/m, 'name: draft-renamed'));
    const run = await runBuild(['--content', content, '--out', out, '--cache', cache]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`review-archive: the site build failed; ${out} was left as it was.`);
    expect(run.stderr).toMatch(/Astro failed: .*\.astro/);
    expect(await treeDigest(out)).toEqual(before);
    expect((await readdir(work)).sort()).toEqual(['cache', 'content', 'dist']);
  });
});
