import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
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
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ra-search-index-'));
    await mkdir(path.join(dataDir, 'search'));
  });

  it('indexes only the branches it is given and stops Pagefind afterwards', async () => {
    const record = (id: number) => [{ url: `branch/${id}/`, content: `branch ${id}`, language: 'en', meta: { title: `b · #${id}`, kind: 'branch', branchId: String(id), branch: 'b' } }];
    await writeFile(path.join(dataDir, 'search/1.json'), JSON.stringify(record(1)));
    await writeFile(path.join(dataDir, 'search/2.json'), JSON.stringify(record(2)));
    const out = path.join(dataDir, 'pagefind');
    expect(await buildSearchIndex({ dataDir, branchIds: [1], outputPath: out })).toEqual({ records: 1, written: ['0'], shards: ['0'] });
    expect(await readdir(path.join(out, '0'))).toContain('pagefind.js');
    await expect.poll(pagefindsRunning, { timeout: 5_000 }).toEqual([]);
  });

  it('fails on a record that is not one, and still stops Pagefind', async () => {
    await writeFile(path.join(dataDir, 'search/3.json'), JSON.stringify([{ url: '/branch/3/', content: 'x', language: 'en', meta: {} }]));
    await expect(buildSearchIndex({ dataDir, branchIds: [3], outputPath: path.join(dataDir, 'pagefind') })).rejects.toThrow(/url|meta/);
    // Stopping takes a moment: the process gets SIGTERM and is then reaped.
    await expect.poll(pagefindsRunning, { timeout: 5_000 }).toEqual([]);
  });

  it('cuts the index into shards of consecutive ids, merged at search time, and rewrites only the shards asked for', async () => {
    const record = (id: number, word: string) => [{ url: `branch/${id}/`, content: `branch ${word}`, language: 'en', meta: { title: `b · #${id}`, kind: 'branch', branchId: String(id), branch: 'b' } }];
    await writeFile(path.join(dataDir, 'search/1.json'), JSON.stringify(record(1, 'alphaword')));
    await writeFile(path.join(dataDir, 'search/700.json'), JSON.stringify(record(700, 'omegaword')));
    const out = path.join(dataDir, 'pagefind');
    expect(await buildSearchIndex({ dataDir, branchIds: [700, 1], outputPath: out })).toEqual({ records: 2, written: ['0', '1'], shards: ['0', '1'] });
    expect(JSON.parse(await readFile(path.join(out, 'shards.json'), 'utf8'))).toEqual(['0', '1']);
    // Searched the way the search page does: the first shard's script with the others merged in.
    expect((await searchSite(dataDir, 'alphaword')).map((hit) => hit.url)).toEqual(['/branch/1/']);
    expect((await searchSite(dataDir, 'omegaword')).map((hit) => hit.url)).toEqual(['/branch/700/']);

    const again = path.join(dataDir, 'again');
    expect(await buildSearchIndex({ dataDir, branchIds: [1, 700], outputPath: again, onlyShards: new Set(['1']) })).toEqual({ records: 1, written: ['1'], shards: ['0', '1'] });
    expect(await readdir(again)).toEqual(['1', 'shards.json']);
  });
});
