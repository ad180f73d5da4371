import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { buildSearchIndex } from '../../scripts/search/build-index.ts';
import { searchSite } from '../support/pagefind.ts';

/** Pagefind processes this test process started that are still there. */
function pagefindsRunning(): string[] {
  try {
    const lines = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n');
    return lines.filter((line) => line.includes('pagefind'));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

describe('buildSearchIndex', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await tempDir('ra-search-index-');
    await mkdir(path.join(dataDir, 'search'));
  });

  /** What scripts/search/document.ts makes of a branch whose summary says `word`. */
  const document = (id: number, word: string) => ({ url: `branch/${id}/`, branchId: id, branch: `b${id}`, title: `Branch ${id}`, text: `about ${word}`, sections: [] });

  it('indexes only the branches it is given and stops Pagefind afterwards', async () => {
    await writeFile(path.join(dataDir, 'search/1.json'), JSON.stringify(document(1, 'one')));
    await writeFile(path.join(dataDir, 'search/2.json'), JSON.stringify(document(2, 'two')));
    const out = path.join(dataDir, 'pagefind');
    expect(await buildSearchIndex({ dataDir, branchIds: [1], outputPath: out })).toEqual({ branches: 1, written: ['0'], shards: ['0'] });
    expect(await readdir(path.join(out, '0'))).toContain('pagefind.js');
    await expect.poll(pagefindsRunning, { timeout: 5_000 }).toEqual([]);
  });

  it('fails on a search document that is not one, and still stops Pagefind', async () => {
    await writeFile(path.join(dataDir, 'search/3.json'), JSON.stringify({ ...document(3, 'x'), url: '/branch/3/', sections: undefined }));
    await expect(buildSearchIndex({ dataDir, branchIds: [3], outputPath: path.join(dataDir, 'pagefind') })).rejects.toThrow(/site-relative URL[\s\S]*sections/);
    // Stopping takes a moment: the process gets SIGTERM and is then reaped.
    await expect.poll(pagefindsRunning, { timeout: 5_000 }).toEqual([]);
  });

  it('cuts the index into shards of consecutive ids, merged at search time, and rewrites only the shards asked for', async () => {
    await writeFile(path.join(dataDir, 'search/1.json'), JSON.stringify(document(1, 'alphaword')));
    await writeFile(path.join(dataDir, 'search/700.json'), JSON.stringify(document(700, 'omegaword')));
    const out = path.join(dataDir, 'pagefind');
    expect(await buildSearchIndex({ dataDir, branchIds: [700, 1], outputPath: out })).toEqual({ branches: 2, written: ['0', '1'], shards: ['0', '1'] });
    expect(JSON.parse(await readFile(path.join(out, 'shards.json'), 'utf8'))).toEqual(['0', '1']);
    // Searched the way the search page does: the first shard's script with the others merged in.
    expect((await searchSite(dataDir, 'alphaword')).map((hit) => hit.url)).toEqual(['/branch/1/']);
    expect((await searchSite(dataDir, 'omegaword')).map((hit) => hit.url)).toEqual(['/branch/700/']);

    const again = path.join(dataDir, 'again');
    expect(await buildSearchIndex({ dataDir, branchIds: [1, 700], outputPath: again, onlyShards: new Set(['1']) })).toEqual({ branches: 1, written: ['1'], shards: ['0', '1'] });
    expect(await readdir(again)).toEqual(['1', 'shards.json']);
  });

  it('finds a review comment and links straight to its thread', async () => {
    const withThread = { ...document(5, 'nothing'), sections: [{ kind: 'comment', anchor: 'thread-2', title: 'src/app.ts line 12', text: 'Should these hash keys be pinned?' }] };
    await writeFile(path.join(dataDir, 'search/5.json'), JSON.stringify(withThread));
    await buildSearchIndex({ dataDir, branchIds: [5], outputPath: path.join(dataDir, 'pagefind') });
    expect((await searchSite(dataDir, 'pinned')).map(({ kind, url, title }) => ({ kind, url, title }))).toEqual([{ kind: 'comment', url: '/branch/5/#thread-2', title: 'src/app.ts line 12' }]);
  });
});
