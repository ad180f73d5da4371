import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBuildPlaces, checkWritable, folderProblem, SITE_MARKER } from '../../scripts/build/output-guard.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A work folder with an archive in `archive/` and a project in `project/`. */
async function places() {
  const work = await tempDir('ra-guard-');
  await mkdir(path.join(work, 'archive/branches'), { recursive: true });
  await writeFile(path.join(work, 'archive/archive.yaml'), 'repo: a/b\ntitle: T\n');
  await mkdir(path.join(work, 'project'), { recursive: true });
  const at = (name: string) => path.join(work, name);
  const check = (outDir: string | undefined, cacheDir = at('cache'), lastOutDir?: string) =>
    checkBuildPlaces({ contentDir: at('archive'), outDir, cacheDir, projectRoot: at('project'), lastOutDir });
  return { work, at, check };
}

describe('where a build may write its site', () => {
  it('says in one line that --content is missing or is a file', async () => {
    const { at } = await places();
    await writeFile(at('notes.txt'), 'mine\n');
    const check = (contentDir: string) => checkBuildPlaces({ contentDir, outDir: at('site'), cacheDir: at('cache'), projectRoot: at('project') });
    expect(check(at('nowhere'))).toEqual([`--content ${at('nowhere')} does not exist: point it at the archive's folder, the one holding archive.yaml and branches/ (see content/README.md)`]);
    expect(check(at('notes.txt'))).toEqual([`--content ${at('notes.txt')} is a file, not a folder: point it at the archive's folder, the one holding archive.yaml and branches/ (see content/README.md)`]);
  });

  it('names a file in the way of --out or --cache, and a place that takes no folders, leaving nothing behind', async () => {
    const { at } = await places();
    await writeFile(at('notes.txt'), 'mine\n');
    expect(await checkWritable({ outDir: at('notes.txt/site'), cacheDir: at('notes.txt') })).toEqual([
      `--cache ${at('notes.txt')}: ${at('notes.txt')} is a file, not a folder: choose another place`,
      `--out ${at('notes.txt/site')}: ${at('notes.txt')} is a file, not a folder: choose another place`,
    ]);
    // /proc refuses new entries with ENOENT, where Node's recursive mkdir would spin forever.
    expect(folderProblem('/proc/review-archive-test/cache')).toBe('cannot create a folder in /proc (ENOENT)');
    expect(folderProblem(at('new/deeper/cache'))).toBeUndefined();
    expect(existsSync(at('new'))).toBe(false);
  });

  it('refuses an --out that is, contains or sits inside the archive', async () => {
    const { at, check } = await places();
    expect(check(at('archive'))).toEqual([`--out ${at('archive')} is the archive (--content ${at('archive')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${at('site')}`]);
    expect(check(at(''))).toEqual([
      `--out ${at('')} contains the archive (--content ${at('archive')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${path.join(path.dirname(at('')), 'site')}`,
      `--out ${at('')} contains the cache (--cache ${at('cache')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${path.join(path.dirname(at('')), 'site')}`,
      `--out ${at('')} contains the review-archive project (${at('project')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. dist`,
    ]);
    expect(check(at('archive/site'))).toEqual([`--out ${at('archive/site')} is inside the archive (--content ${at('archive')}): the site would be written into it. Choose a folder outside it`]);
  });

  it('sees through a symlink to the archive', async () => {
    const { at, check } = await places();
    await symlink(at('archive'), at('link'));
    expect(check(at('link'))).toEqual([`--out ${at('link')} is the archive (--content ${at('archive')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${at('site')}`]);
  });

  it('refuses an --out that is, contains or sits inside the cache', async () => {
    const { at, check } = await places();
    expect(check(at('site'), at('site/.cache'))[0]).toBe(`--out ${at('site')} contains the cache (--cache ${at('site/.cache')}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${at('site')}`);
    expect(check(at('cache/site'))).toEqual([`--out ${at('cache/site')} is inside the cache (--cache ${at('cache')}): the site would be written into it. Choose a folder outside it`]);
  });

  it('refuses a cache that holds the archive: deleting the cache must always be safe', async () => {
    const { at, check } = await places();
    expect(check(at('site'), at(''))).toContain(`--cache ${at('')} is or contains the archive (--content ${at('archive')}): the cache is deleted and rewritten freely, so it needs a folder of its own, e.g. .review-archive`);
  });

  it('accepts a site inside the project, a new folder and an empty one', async () => {
    const { at, check } = await places();
    expect(check(at('project/dist'))).toEqual([]);
    expect(check(at('new/site'))).toEqual([]);
    await mkdir(at('empty'));
    expect(check(at('empty'))).toEqual([]);
    expect(check(undefined)).toEqual([]);
  });

  it('refuses a folder of files it did not write, and accepts its own sites', async () => {
    const { at, check } = await places();
    await mkdir(at('mine'));
    await writeFile(at('mine/notes.txt'), 'my notes');
    expect(check(at('mine'))).toEqual([`--out ${at('mine')} holds files review-archive did not write (it has no ${SITE_MARKER} file), and the build would replace them all. Choose a new or empty folder, or empty this one yourself`]);
    // The cache's last build wrote it (a site from before the marker existed).
    expect(check(at('mine'), at('cache'), at('mine'))).toEqual([]);
    await writeFile(path.join(at('mine'), SITE_MARKER), 'site');
    expect(check(at('mine'))).toEqual([]);
    await writeFile(at('file'), 'x');
    expect(check(at('file'))).toEqual([`--out ${at('file')} is a file, not a folder: the build writes a folder there. Choose another name, or remove the file yourself`]);
  });
});
