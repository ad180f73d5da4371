import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSiteSnapshot, restoreSiteSnapshot, saveSiteSnapshot } from '../../../scripts/build/site-snapshot.ts';

/** Every file under `dir` with its text, by path: two equal results are two identical small sites. */
async function contents(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return Object.fromEntries(await Promise.all(files.map(async (file) => [path.relative(dir, file), await readFile(file, 'utf8')] as const)));
}

describe('the snapshot of the last site in the cache', () => {
  let work: string;
  let site: string;
  let cache: string;

  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'ra-snapshot-'));
    site = path.join(work, 'dist');
    cache = path.join(work, 'cache');
    await mkdir(path.join(site, 'branch/7'), { recursive: true });
    await writeFile(path.join(site, 'index.html'), '<p>feed</p>');
    await writeFile(path.join(site, 'branch/7/index.html'), '<p>branch 7</p>');
    // The same bytes twice: stored once, restored at both places.
    await writeFile(path.join(site, '404.html'), '<p>feed</p>');
  });
  afterEach(() => rm(work, { recursive: true, force: true }));

  it('recreates the site it was taken of, every file with its bytes', async () => {
    const saved = await saveSiteSnapshot(cache, site);
    await rm(site, { recursive: true });
    const snapshot = await openSiteSnapshot(cache, saved);
    expect(snapshot).toBeDefined();
    await restoreSiteSnapshot(snapshot!, path.join(work, 'new'));
    expect(await contents(path.join(work, 'new'))).toEqual({ '404.html': '<p>feed</p>', 'index.html': '<p>feed</p>', 'branch/7/index.html': '<p>branch 7</p>' });
    expect(await readdir(path.join(cache, 'site/objects'))).toHaveLength(2);
  });

  it('takes the hash the build already has of a file it wrote, and hashes a file that is no longer that one', async () => {
    const page = path.join(site, 'branch/7/index.html');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const { ino, size } = await stat(page);
    // The CI pages: hashed as their logs were copied in. Told so, the snapshot does not read the page.
    const told = new Map([['branch/7/index.html', { sha256: sha256('<p>branch 7</p>'), ino, size }]]);
    await saveSiteSnapshot(cache, site, undefined, told);
    expect(await readdir(path.join(cache, 'site/objects'))).toContain(sha256('<p>branch 7</p>'));
    // The page replaced by another file of the same size after it was hashed: its own bytes count.
    // (Written beside it and renamed over it, so the two never share an inode number.)
    await writeFile(`${page}.new`, '<p>branch 8</p>');
    await rename(`${page}.new`, page);
    expect((await stat(page)).ino).not.toBe(ino);
    const saved = await saveSiteSnapshot(cache, site, undefined, told);
    await rm(site, { recursive: true });
    await restoreSiteSnapshot((await openSiteSnapshot(cache, saved))!, path.join(work, 'new'));
    expect((await contents(path.join(work, 'new')))['branch/7/index.html']).toBe('<p>branch 8</p>');
  });

  it('is not used when the build state names another manifest, or none', async () => {
    await saveSiteSnapshot(cache, site);
    expect(await openSiteSnapshot(cache, 'a manifest hash of another build')).toBeUndefined();
    expect(await openSiteSnapshot(cache, undefined)).toBeUndefined();
  });

  it('is not used once a file of the site was written in place (the object is the same file)', async () => {
    const saved = await saveSiteSnapshot(cache, site);
    const page = path.join(site, 'branch/7/index.html');
    const before = await stat(page);
    await writeFile(page, '<p>branch 8</p>');
    // Same size, and a time a second later, as an edit some time after the build would have.
    await utimes(page, before.atime, new Date(before.mtimeMs + 2000));
    expect(await openSiteSnapshot(cache, saved)).toBeUndefined();
  });

  it('is not used, with a note, when an object lost a byte at the same size and the same time: it is read and hashed', async () => {
    const saved = await saveSiteSnapshot(cache, site);
    const page = path.join(site, 'branch/7/index.html');
    const before = await stat(page);
    await writeFile(page, '<p>branch 9</p>');
    // As bit rot or a careful hand edit leaves it: the size and the time to the second, all a stamp check looked at, are unchanged.
    await utimes(page, before.atime, before.mtime);
    const after = await stat(page);
    expect([after.size, Math.floor(after.mtimeMs / 1000)]).toEqual([before.size, Math.floor(before.mtimeMs / 1000)]);
    const notes: string[] = [];
    expect(await openSiteSnapshot(cache, saved, notes)).toBeUndefined();
    const object = createHash('sha256').update('<p>branch 7</p>').digest('hex');
    expect(notes).toEqual([`the cache's site/objects/${object} was damaged (its bytes no longer match the hash it is named by); every page was rendered again`]);
  });

  it('is not used, with a note, when an object or the manifest is gone or changed', async () => {
    const saved = await saveSiteSnapshot(cache, site);
    const object = createHash('sha256').update('<p>feed</p>').digest('hex');
    await rm(path.join(cache, 'site/objects', object));
    const notes: string[] = [];
    expect(await openSiteSnapshot(cache, saved, notes)).toBeUndefined();
    await writeFile(path.join(cache, 'site/manifest.json'), '{}');
    expect(await openSiteSnapshot(cache, saved, notes)).toBeUndefined();
    expect(notes).toEqual([
      `the cache's site/objects/${object} was missing; every page was rendered again`,
      "the cache's site/manifest.json was damaged (its bytes no longer match the hash recorded for it); every page was rendered again",
    ]);
  });

  it('still opens from a copy of the cache with its times kept, as a CI cache restore makes', async () => {
    const saved = await saveSiteSnapshot(cache, site);
    const copy = path.join(work, 'restored-cache');
    await cp(cache, copy, { recursive: true, preserveTimestamps: true });
    await rm(cache, { recursive: true });
    const snapshot = await openSiteSnapshot(copy, saved);
    expect(snapshot).toBeDefined();
    await restoreSiteSnapshot(snapshot!, path.join(work, 'new'));
    expect((await contents(path.join(work, 'new')))['branch/7/index.html']).toBe('<p>branch 7</p>');
  });

  it('stores a changed file anew, and lets the objects of files no longer in the site go', async () => {
    const first = await saveSiteSnapshot(cache, site);
    await rm(path.join(site, 'branch/7/index.html'));
    await writeFile(path.join(site, 'branch/7/index.html'), '<p>branch 7, edited</p>');
    const second = await saveSiteSnapshot(cache, site, await openSiteSnapshot(cache, first));
    expect(second).not.toBe(first);
    const snapshot = await openSiteSnapshot(cache, second);
    await restoreSiteSnapshot(snapshot!, path.join(work, 'new'));
    expect(await contents(path.join(work, 'new'))).toEqual(await contents(site));
    expect(await readdir(path.join(cache, 'site/objects'))).toHaveLength(2);
  });
});
