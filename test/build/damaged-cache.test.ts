import { cp, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

describe('a damaged cache', () => {
  it('is caught, the branch rendered again with a one-line note, and the site is as a fresh build makes it', async () => {
    const work = await tempDir('ra-damaged-cache-');
    const content = path.join(work, 'content');
    const out = path.join(work, 'dist');
    const cache = path.join(work, 'cache');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    expect((await runBuild(['--content', content, '--out', out, '--cache', cache])).code).toBe(0);

    // Cut short, as a full disk or a crash leaves it; and branch 7's page is due again (its neighbour is renamed).
    await truncate(path.join(cache, 'data/branches/7.json'), 100);
    const branchFile = path.join(content, 'branches/8-draft/branch.md');
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace(/^name: .*$/m, 'name: draft-renamed'));
    const run = await runBuild(['--content', content, '--out', out, '--cache', cache]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trim()).toBe("review-archive: note: the cache's data/branches/7.json was damaged (not the size it was written with); branch 7 was rendered again");
    expect(JSON.parse(await readFile(path.join(cache, 'data/branches/7.json'), 'utf8')).id).toBe(7);
    const fresh = path.join(work, 'fresh');
    expect((await runBuild(['--content', content, '--out', fresh, '--cache', path.join(work, 'fresh-cache')])).code).toBe(0);
    expect(await treeDigest(out)).toEqual(await treeDigest(fresh));
  }, 600_000);
});
