import { appendFile, cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';
import { SITE_MARKER } from '../../scripts/build/output-guard.ts';

/**
 * A CI job restores only the cache (`.review-archive/`), never the last `dist/`: the build must
 * recreate unchanged pages from the cache's snapshot of the last site, without Astro, and the site
 * it writes must be the one a fresh build writes.
 */
describe('a build with the cache kept and a new --out', () => {
  let work: string;
  let content: string;
  let cache: string;
  const build = (out: string, cacheDir = cache, contentDir = content) => runBuild(['--content', contentDir, '--out', path.join(work, out), '--cache', cacheDir]);

  /** The site a build with an empty cache makes of the archive as it is now. */
  async function freshDigest(name: string, contentDir = content) {
    const run = await build(name, path.join(work, `${name}-cache`), contentDir);
    expect(run.code).toBe(0);
    return treeDigest(path.join(work, name));
  }

  /**
   * The site's files written since `since` (ms): a page Astro rendered is a new file, one recreated
   * from the snapshot is a hard link to the object the first build stored, with that build's time.
   */
  async function writtenSince(site: string, since: number): Promise<string[]> {
    const entries = await readdir(site, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
    const times = await Promise.all(files.map(async (file) => [path.relative(site, file), (await stat(file)).mtimeMs] as const));
    return times.filter(([, mtime]) => mtime >= since).map(([file]) => file).sort();
  }

  beforeAll(async () => {
    work = await tempDir('ra-warm-from-cache-');
    content = path.join(work, 'content');
    cache = path.join(work, 'cache');
    await cp('test/fixtures/archives/unusual', content, { recursive: true });
    await cp('test/fixtures/archives/good/branches', path.join(content, 'branches'), { recursive: true });
    const first = await build('first');
    expect(first.code).toBe(0);
    // Gone, as on a CI runner: only the cache is left of the first build.
    await rm(path.join(work, 'first'), { recursive: true });
  });

  it('recreates an unchanged site from the cache alone, byte for byte, without rendering a page', async () => {
    const started = Date.now();
    const run = await build('second');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/built 3 branches \(3 unchanged\) .* no page changed\n$/);
    // Only the site's marker is written (last, once the site is whole): every page, the feed, the
    // stylesheet and the search index are the first build's files, linked from the cache.
    expect(await writtenSince(path.join(work, 'second'), started)).toEqual([SITE_MARKER]);
    expect(await treeDigest(path.join(work, 'second'))).toEqual(await freshDigest('fresh-unchanged'));
  });

  it('renders only the edited branch into a new --out, and the site equals a fresh build', async () => {
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nA sentence added before the next CI run.\n');
    const started = Date.now();
    const run = await build('third');
    expect(run.stdout).toMatch(/built 3 branches \(2 unchanged\) .* 1 changed branch pages rebuilt\n$/);
    // Astro rendered branch 7's page; its neighbours 3 and 8 show only its title, which did not change.
    const written = await writtenSince(path.join(work, 'third'), started);
    expect(written).toContain('branch/7/index.html');
    expect(written.filter((file) => /^branch\/(3|8)\//.test(file))).toEqual([]);
    expect(await readFile(path.join(work, 'third/branch/7/index.html'), 'utf8')).toContain('A sentence added before the next CI run.');
    expect(await treeDigest(path.join(work, 'third'))).toEqual(await freshDigest('fresh-after-edit'));
    // Two builds, one of them cold: more than the project's 3 minutes on a busy machine.
  }, 360_000);

  it('works from a cache copied elsewhere and a fresh checkout of the archive, as a CI cache restore gives', async () => {
    // A copy has new inodes and the checkout new file times: nothing may hang on them.
    const restoredCache = path.join(work, 'restored-cache');
    const checkout = path.join(work, 'checkout');
    await cp(cache, restoredCache, { recursive: true, preserveTimestamps: true });
    await cp(content, checkout, { recursive: true });
    const run = await build('from-restored', restoredCache, checkout);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/built 3 branches \(3 unchanged\) .* no page changed\n$/);
    expect(await treeDigest(path.join(work, 'from-restored'))).toEqual(await freshDigest('fresh-checkout', checkout));
  });

  it('renders every page again when a file of the snapshot was changed in place, rather than copy the change', async () => {
    // The site's files are hard links to the snapshot's: writing into one in place changes both.
    const page = path.join(work, 'third/branch/7/index.html');
    await writeFile(page, 'edited by hand after the build');
    const run = await build('after-tamper');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/built 3 branches \(3 unchanged\) from .* in [\d.]+s\n$/);
    expect(await readFile(path.join(work, 'after-tamper/branch/7/index.html'), 'utf8')).not.toContain('edited by hand');
    expect(await treeDigest(path.join(work, 'after-tamper'))).toEqual(await freshDigest('fresh-after-tamper'));
  });
});
