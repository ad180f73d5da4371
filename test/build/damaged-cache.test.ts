import { cp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

/**
 * Changes one character inside a cache file, keeping its size, its JSON valid and its time: what
 * neither a size check nor a parse can tell from the file the build wrote. Only the hash can.
 */
async function flipACharacter(file: string, from: string, to: string, { json = true } = {}): Promise<void> {
  expect(to.length).toBe(from.length);
  const before = await stat(file);
  const text = await readFile(file, 'utf8');
  const at = text.indexOf(from, 80);
  expect(at, `no "${from}" in ${file}`).toBeGreaterThan(0);
  await writeFile(file, `${text.slice(0, at)}${to}${text.slice(at + from.length)}`);
  await utimes(file, before.atime, before.mtime);
  const after = await stat(file);
  expect([after.size, Math.floor(after.mtimeMs / 1000)]).toEqual([before.size, Math.floor(before.mtimeMs / 1000)]);
  if (json) JSON.parse(await readFile(file, 'utf8'));
}

/**
 * A cache damaged in each way a disk, a crash or a hand leaves it. Each build after a damage must
 * say so in one line, render again what it could not trust, and publish the site a fresh build makes.
 * The archive switches between two versions (branch 8 renamed and back), so that branch 7's page,
 * which shows its neighbour's name, is rendered from the cache's data each time.
 */
// The cases run in order on one cache, each leaving it whole again for the next.
describe('a damaged cache', () => {
  let work: string;
  let content: string;
  let out: string;
  let cache: string;
  const branchFile = () => path.join(content, 'branches/8-draft/branch.md');
  const fresh: Record<'original' | 'renamed', Array<[string, string]>> = { original: [], renamed: [] };
  let version: 'original' | 'renamed' = 'original';

  async function switchVersion(): Promise<void> {
    const text = await readFile(branchFile(), 'utf8');
    version = version === 'original' ? 'renamed' : 'original';
    await writeFile(branchFile(), version === 'renamed' ? text.replace(/^name: (.*)$/m, 'name: $1-renamed') : text.replace(/^name: (.*)-renamed$/m, 'name: $1'));
  }

  /** Builds into `into` with the kept cache and returns its notes. */
  async function build(into = out): Promise<string[]> {
    const run = await runBuild(['--content', content, '--out', into, '--cache', cache]);
    expect(run.code, run.stderr).toBe(0);
    return run.stderr.trim().split('\n').filter(Boolean);
  }

  beforeAll(async () => {
    work = await tempDir('ra-damaged-cache-');
    content = path.join(work, 'content');
    out = path.join(work, 'dist');
    cache = path.join(work, 'cache');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    for (const name of ['original', 'renamed'] as const) {
      if (name === 'renamed') await switchVersion();
      const site = path.join(work, `fresh-${name}`);
      expect((await runBuild(['--content', content, '--out', site, '--cache', path.join(work, `fresh-${name}-cache`)])).code).toBe(0);
      fresh[name] = await treeDigest(site);
    }
    await switchVersion();
    expect(await build()).toEqual([]);
  }, 600_000);

  it('catches a page data file cut short', async () => {
    await truncate(path.join(cache, 'data/branches/7.json'), 100);
    await switchVersion();
    expect(await build()).toEqual(["review-archive: note: the cache's data/branches/7.json was damaged (its bytes no longer match the hash written with them); branch 7 was rendered again"]);
    expect(JSON.parse(await readFile(path.join(cache, 'data/branches/7.json'), 'utf8')).id).toBe(7);
    expect(await treeDigest(out)).toEqual(fresh[version]);
  }, 300_000);

  it('catches one character changed at the same size and time, which only its hash tells', async () => {
    await flipACharacter(path.join(cache, 'data/branches/7.json'), 'Greet', 'GREET');
    await switchVersion();
    expect(await build()).toEqual(["review-archive: note: the cache's data/branches/7.json was damaged (its bytes no longer match the hash written with them); branch 7 was rendered again"]);
    expect(await readFile(path.join(out, 'branch/7/index.html'), 'utf8')).not.toContain('GREET');
    expect(await treeDigest(out)).toEqual(fresh[version]);
  }, 300_000);

  it('catches a deleted search document', async () => {
    await rm(path.join(cache, 'data/search/7.json'));
    await switchVersion();
    expect(await build()).toEqual(["review-archive: note: the cache's data/search/7.json was missing; branch 7 was rendered again"]);
    expect(await treeDigest(out)).toEqual(fresh[version]);
  }, 300_000);

  it('catches a changed build state, whose summaries would reach the feed, and builds everything again', async () => {
    await flipACharacter(path.join(cache, 'build-state.json'), 'Greet', 'GREET');
    await switchVersion();
    expect(await build()).toEqual(["review-archive: note: the cache's build-state.json was damaged (its text no longer matches the hash written with it); every branch was rendered again"]);
    expect(await treeDigest(out)).toEqual(fresh[version]);
  }, 300_000);

  it('catches a highlighted file changed at the same size, and highlights it again', async () => {
    // Branch 7 is rendered again (its page data is gone), so its highlighted files are read from the cache.
    await rm(path.join(cache, 'data/branches/7.json'));
    const entries = (await readdir(path.join(cache, 'highlight'), { recursive: true })).filter((name) => name.endsWith('.json'));
    let flipped = 0;
    for (const entry of entries) {
      const file = path.join(cache, 'highlight', entry);
      if ((await readFile(file, 'utf8')).indexOf('class=', 80) > 0) {
        await flipACharacter(file, 'class=', 'CLASS=');
        flipped++;
      }
    }
    expect(flipped).toBeGreaterThan(0);
    await switchVersion();
    const [missing, ...notes] = await build();
    expect(missing).toBe("review-archive: note: the cache's data/branches/7.json was missing; branch 7 was rendered again");
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^review-archive: note: the cache's (highlight\/[0-9a-f]{2}\/[0-9a-f]{62}\.json was damaged \(its bytes no longer match the hash written with them\); it was highlighted again|\d+ entries like highlight\/\S+ were damaged .*; they were highlighted again)$/);
    expect(await treeDigest(out)).toEqual(fresh[version]);
  }, 300_000);

  it('catches a file of the last site changed at the same size in the snapshot, when building into a new --out', async () => {
    const manifest = JSON.parse(await readFile(path.join(cache, 'site/manifest.json'), 'utf8')) as { files: Record<string, string> };
    const object = manifest.files['branch/7/index.html']!;
    await flipACharacter(path.join(cache, 'site/objects', object), 'Greet', 'GREET', { json: false });
    const newOut = path.join(work, 'new-out');
    expect(await build(newOut)).toEqual([`review-archive: note: the cache's site/objects/${object} was damaged (its bytes no longer match the hash it is named by); every page was rendered again`]);
    expect(await readFile(path.join(newOut, 'branch/7/index.html'), 'utf8')).not.toContain('GREET');
    expect(await treeDigest(newOut)).toEqual(fresh[version]);
  }, 300_000);
});
