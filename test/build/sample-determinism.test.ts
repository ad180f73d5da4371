import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild, treeDigest } from '../support/run-build.ts';

/**
 * The bundled sample has discussions (101, 102, 105), CI logs and nightly jobs: the parts whose
 * output depends on times, maps and caches. Two clean builds, the second from a copy of the sample
 * at another path (new mtimes and inodes) with its own cache, must give the same bytes in every
 * file of the site.
 */
describe('two clean builds of the sample archive', () => {
  let work: string;
  beforeAll(async () => {
    work = await tempDir('ra-sample-twice-');
    const copy = path.join(work, 'sample-copy');
    await cp('content', copy, { recursive: true });
    const [one, two] = await Promise.all([
      runBuild(['--content', 'content', '--out', path.join(work, 'one'), '--cache', path.join(work, 'cache-one')], 10 * 60_000),
      runBuild(['--content', copy, '--out', path.join(work, 'two'), '--cache', path.join(work, 'cache-two')], 10 * 60_000),
    ]);
    expect([one.code, one.stderr, two.code, two.stderr]).toEqual([0, '', 0, '']);
  }, 12 * 60_000);

  it('render the discussions of 101, 102 and 105 (threads in the diff, the conversation)', async () => {
    for (const id of [101, 102, 105]) {
      const page = await readFile(path.join(work, 'one', `branch/${id}/index.html`), 'utf8');
      expect(page, `branch ${id}`).toMatch(/class="thread[ "]/);
    }
  });

  it('are byte-identical in every file of dist/', async () => {
    const [one, two] = await Promise.all([treeDigest(path.join(work, 'one')), treeDigest(path.join(work, 'two'))]);
    expect(one.length).toBeGreaterThan(50);
    expect(two.map(([file]) => file)).toEqual(one.map(([file]) => file));
    const differing = one.filter(([file, digest], index) => two[index]![1] !== digest).map(([file]) => file);
    expect(differing).toEqual([]);
  });
});
