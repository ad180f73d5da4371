import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

async function workWithArchive(prefix: string) {
  const work = await tempDir(prefix);
  const content = path.join(work, 'content');
  await cp('test/fixtures/archives/good', content, { recursive: true });
  return { work, content };
}

/** Whether this machine can make a folder read-only even for root (ext4's immutable flag). */
function canMakeImmutable(dir: string): boolean {
  return spawnSync('chattr', ['+i', dir]).status === 0 && spawnSync('chattr', ['-i', dir]).status === 0;
}

describe('a build never deletes what it did not write', () => {
  it('refuses an --out that holds the archive, with one line, and deletes nothing', async () => {
    const { work, content } = await workWithArchive('ra-out-');
    const before = await treeDigest(work);
    const run = await runBuild(['--content', content, '--out', work, '--cache', path.join(os.tmpdir(), `ra-unused-${process.pid}`)]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`review-archive: --out ${work} contains the archive (--content ${content}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${path.join(path.dirname(work), 'site')}`);
    expect(await treeDigest(work)).toEqual(before);
    expect(existsSync(path.join(os.tmpdir(), `ra-unused-${process.pid}`))).toBe(false);
  });

  it('refuses an --out holding its own cache, and a folder of files it did not write', async () => {
    const { work, content } = await workWithArchive('ra-out-');
    const site = path.join(work, 'site');
    const withCache = await runBuild(['--content', content, '--out', site, '--cache', path.join(site, '.cache')]);
    expect(withCache.code).toBe(2);
    expect(withCache.stderr.trim()).toBe(`review-archive: --out ${site} contains the cache (--cache ${path.join(site, '.cache')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${path.join(work, 'site')}`);
    await mkdir(path.join(work, 'photos'));
    await writeFile(path.join(work, 'photos/holiday.jpg'), 'jpeg bytes');
    const foreign = await runBuild(['--content', content, '--out', path.join(work, 'photos'), '--cache', path.join(work, 'cache')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr.trim()).toBe(`review-archive: --out ${path.join(work, 'photos')} holds files review-archive did not write (it has no .review-archive-site file), and the build would replace them all. Choose a new or empty folder, or empty this one yourself`);
    expect(await readFile(path.join(work, 'photos/holiday.jpg'), 'utf8')).toBe('jpeg bytes');
    expect((await readdir(work)).sort()).toEqual(['content', 'photos']);
  });
});

describe('two builds at once', () => {
  it('the second one into the same --out and --cache is told another is running; a third with its own folders builds too', async () => {
    const { work, content } = await workWithArchive('ra-twice-');
    const [out, cache, otherOut, otherCache] = ['dist', 'cache', 'dist2', 'cache2'].map((name) => path.join(work, name)) as [string, string, string, string];
    const runs = await Promise.all([
      runBuild(['--content', content, '--out', out, '--cache', cache]),
      runBuild(['--content', content, '--out', out, '--cache', cache]),
      runBuild(['--content', content, '--out', otherOut, '--cache', otherCache]),
    ]);
    const codes = runs.slice(0, 2).map((run) => run.code).sort();
    expect(codes).toEqual([0, 2]);
    const refused = runs.find((run) => run.code === 2)!;
    expect(refused.stderr.trim()).toMatch(/^review-archive: another build \(pid \d+, running since [\d:TZ.-]+\) is using the (cache|output) \S+\. Wait for it to finish, or give this build its own --out and --cache$/);
    expect(runs[2]!.code, runs[2]!.stderr).toBe(0);
    // Both sites whole, and the same: the build is deterministic.
    expect(await treeDigest(out)).toEqual(await treeDigest(otherOut));
    expect(existsSync(path.join(out, 'branch/7/index.html'))).toBe(true);
    // No lock or scratch folder left beside the sites; Astro's scratch stayed in the caches.
    expect((await readdir(work)).sort()).toEqual(['cache', 'cache2', 'content', 'dist', 'dist2']);
    expect(existsSync(path.join(cache, 'astro/work/.astro'))).toBe(true);
  });

  it('takes over the lock of a build that was killed', async () => {
    const { work, content } = await workWithArchive('ra-stale-');
    const cache = path.join(work, 'cache');
    await mkdir(cache);
    const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    await writeFile(path.join(cache, 'build.lock'), JSON.stringify({ pid, host: os.hostname(), started: '2026-12-01T10:00:00.000Z' }));
    const run = await runBuild(['--content', content, '--out', path.join(work, 'dist'), '--cache', cache, '--content-only']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`review-archive: note: a stale lock on the cache ${cache} was left by build pid ${pid} (started 2026-12-01T10:00:00.000Z), which is no longer running; it was removed`);
    expect(existsSync(path.join(cache, 'build.lock'))).toBe(false);
  });
});

describe('a build killed while it replaced the site', () => {
  it('is repaired by the next build, even one that stops at a problem in the archive', async () => {
    const { work, content } = await workWithArchive('ra-killed-');
    const out = path.join(work, 'dist');
    const cache = path.join(work, 'cache');
    expect((await runBuild(['--content', content, '--out', out, '--cache', cache])).code).toBe(0);
    const site = await treeDigest(out);
    // What a kill between the swap's two renames leaves: the old site retired, the new one staged.
    await cp(out, `${out}.staging`, { recursive: true });
    await rename(out, `${out}.previous`);
    await writeFile(path.join(content, 'archive.yaml'), 'repo: [unclosed\n');

    const run = await runBuild(['--content', content, '--out', out, '--cache', cache]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`review-archive: note: an earlier build was stopped while replacing ${out}; the last complete site (dist.staging) was put back`);
    expect(await treeDigest(out)).toEqual(site);
    expect((await readdir(work)).sort()).toEqual(['cache', 'content', 'dist']);
  });
});

describe('an output folder that cannot be written', () => {
  it('stops before building, in one line, and the old site stays', async (context) => {
    const { work, content } = await workWithArchive('ra-readonly-');
    const parent = path.join(work, 'public');
    const out = path.join(parent, 'site');
    const cache = path.join(work, 'cache');
    expect((await runBuild(['--content', content, '--out', out, '--cache', cache])).code).toBe(0);
    if (!canMakeImmutable(parent)) context.skip();
    const site = await treeDigest(out);
    await writeFile(path.join(content, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md'), (await readFile(path.join(content, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md'), 'utf8')) + '\nOne more line.\n');
    spawnSync('chattr', ['+i', parent]);
    try {
      const run = await runBuild(['--content', content, '--out', out, '--cache', cache]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toBe(`review-archive: --out ${out}: cannot write in ${parent} (permission denied); the build needs to create and rename folders there`);
      expect(await treeDigest(out)).toEqual(site);
    } finally {
      spawnSync('chattr', ['-i', parent]);
    }
  });
});
