import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { searchSite } from '../support/pagefind.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

/** The same site as an incremental build must give: a fresh build with an empty cache. */
async function freshBuild(content: string, work: string, name: string): Promise<string> {
  const out = path.join(work, name);
  const run = await runBuild(['--content', content, '--out', out, '--cache', path.join(work, `${name}-cache`)]);
  expect(run.code).toBe(0);
  return out;
}

describe('an incremental build', () => {
  let work: string;
  let content: string;
  let out: string;
  const build = () => runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);

  beforeAll(async () => {
    work = await tempDir('ra-incremental-');
    content = path.join(work, 'content');
    out = path.join(work, 'dist');
    await cp('test/fixtures/archives/unusual', content, { recursive: true });
    await cp('test/fixtures/archives/good/branches', path.join(content, 'branches'), { recursive: true });
    const first = await build();
    expect(first.code).toBe(0);
  });

  it('renders nothing and runs no page build when nothing changed', async () => {
    const before = await treeDigest(out);
    const again = await build();
    expect(again.stdout).toMatch(/built 3 branches \(3 unchanged\) .* no page changed\n$/);
    expect(await treeDigest(out)).toEqual(before);
  });

  it('rebuilds only the page of an edited step, and the result equals a fresh full build', async () => {
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nOne more sentence.\n');
    const run = await build();
    expect(run.stdout).toMatch(/built 3 branches \(2 unchanged\) .* 1 changed branch pages rebuilt\n$/);
    expect(await readFile(path.join(out, 'branch/7/index.html'), 'utf8')).toContain('One more sentence.');
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-edit')));
  });

  it('makes a word added to a step findable, with its search shard written again', async () => {
    expect(await searchSite(out, 'zephyrine')).toEqual([]);
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md'), '\nMind the zephyrine gusts.\n');
    const run = await build();
    expect(run.stdout).toMatch(/1 changed branch pages rebuilt\n$/);
    expect((await searchSite(out, 'zephyrine')).map((hit) => hit.url)).toEqual(['/branch/7/#step-1']);
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-new-word')));
  });

  it("loads the collections into Astro's content store again when the store is not the one the last build left", async () => {
    // As after a build that failed once Astro had synced, or a cache put together by hand.
    await rm(path.join(work, 'cache/astro/data-store.json'));
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nWritten after the store went missing.\n');
    const run = await build();
    expect(run.stdout).toMatch(/1 changed branch pages rebuilt\n$/);
    expect(await readFile(path.join(out, 'branch/7/index.html'), 'utf8')).toContain('Written after the store went missing.');
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-store-loss')));
  });

  it('publishes a changed image even when the page itself reads the same', async () => {
    const image = path.join(content, 'branches/3-odd-files/files/new/pic.png');
    const bytes = await readFile(image);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(image, bytes);
    const run = await build();
    expect(run.code).toBe(0);
    expect(await readFile(path.join(out, 'branch/3/files/new/pic.png'))).toEqual(bytes);
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-image')));
  });

  it('rebuilds the stats page when a branch changes state, and the result equals a fresh full build', async () => {
    const branchFile = path.join(content, 'branches/3-odd-files/branch.md');
    const statsPage = path.join(out, 'stats/index.html');
    expect(await readFile(statsPage, 'utf8')).toMatch(/\b0 closed\b/);
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace(/^state: open$/m, 'state: closed'));
    const run = await build();
    expect(run.stdout).toMatch(/built 3 branches \(2 unchanged\) .* 1 changed branch pages rebuilt\n$/);
    expect(await readFile(statsPage, 'utf8')).toMatch(/\b1 closed\b/);
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-state')));
  });

  it("adds a file's own page when a lock file joins a diff, and drops it when the file leaves again", async () => {
    const patch = path.join(content, 'branches/8-draft/diff.patch');
    const original = await readFile(patch, 'utf8');
    const lock = 'diff --git a/yarn.lock b/yarn.lock\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/yarn.lock\n@@ -0,0 +1,2 @@\n+a@1:\n+  version "1"\n';
    await writeFile(patch, original + lock);
    expect((await build()).code).toBe(0);
    const filePage = (n: number) => readFile(path.join(out, `branch/8/files/${n}/index.html`), 'utf8');
    const n = (await readFile(path.join(out, 'branch/8/index.html'), 'utf8')).match(/href="\/branch\/8\/files\/(\d+)\/"/)?.[1];
    expect(n).toBeDefined();
    expect(await filePage(Number(n))).toContain('yarn.lock');
    await writeFile(patch, original);
    expect((await build()).code).toBe(0);
    await expect(filePage(Number(n))).rejects.toThrow();
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-lock-file')));
  });

  it('drops the page of a removed branch, and the result equals a fresh full build', async () => {
    await rm(path.join(content, 'branches/8-draft'), { recursive: true });
    const run = await build();
    expect(run.code).toBe(0);
    await expect(readFile(path.join(out, 'branch/8/index.html'))).rejects.toThrow();
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-removal')));
  });

  it('renders every branch again when archive.yaml changes', async () => {
    await appendFile(path.join(content, 'archive.yaml'), 'description: Now with a description.\n');
    const run = await build();
    expect(run.stdout).not.toContain('unchanged');
    expect(await treeDigest(out)).toEqual(await treeDigest(await freshBuild(content, work, 'fresh-after-config')));
  });
});
