import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogHashes } from '../../../scripts/archive/lane-logs.ts';
import { LogRenderer } from '../../../scripts/logs/lane-log.ts';
import { logLimitsFor } from '../../../scripts/logs/log-view.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'log-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A LogHashes whose reads are counted, as the next build would load it from `file`. */
async function nextBuild(file: string, reads: string[]): Promise<LogHashes> {
  const saved = await readFile(file, 'utf8').then((text) => JSON.parse(text) as Record<string, { stamp: string; sha256: string }>, () => ({}));
  return new LogHashes(saved, async (log) => {
    reads.push(path.basename(log));
    return `sha-of-${(await readFile(log, 'utf8')).length}`;
  });
}

describe('log hashes between builds', () => {
  it('reads an unchanged log once, then never again; a rewritten log is read again; a removed one is forgotten', async () => {
    const state = path.join(dir, 'hashes.json');
    const [a, b] = [path.join(dir, 'a.log'), path.join(dir, 'b.log')];
    await writeFile(a, 'one\ntwo\n');
    await writeFile(b, 'three\n');
    const reads: string[] = [];

    const first = await nextBuild(state, reads);
    expect([await first.hash(a), await first.hash(b), await first.hash(a)]).toEqual(['sha-of-8', 'sha-of-6', 'sha-of-8']);
    await first.save(state);
    expect(reads).toEqual(['a.log', 'b.log']);

    // A build in which only b's branch is read, and nothing changed: no log is read.
    const second = await nextBuild(state, reads);
    expect(await second.hash(b)).toBe('sha-of-6');
    await second.save(state);
    expect(reads).toEqual(['a.log', 'b.log']);

    // a is rewritten (same size), b is removed: a is read again, b is no longer recorded.
    await writeFile(a, 'ONE\nTWO\n');
    await rm(b);
    const third = await nextBuild(state, reads);
    expect(await third.hash(a)).toBe('sha-of-8');
    await third.save(state);
    expect(reads).toEqual(['a.log', 'b.log', 'a.log']);
    expect(Object.keys(JSON.parse(await readFile(state, 'utf8')))).toEqual([a]);
  });

  it('starts afresh from a damaged record instead of failing', async () => {
    const state = path.join(dir, 'damaged.json');
    await writeFile(state, '{"cut short');
    const log = path.join(dir, 'c.log');
    await writeFile(log, 'x\n');
    expect(await (await LogHashes.load(state)).hash(log)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('rendered logs in the cache', () => {
  it('renders a log already in the cache without opening its file', async () => {
    const file = path.join(dir, 'lane.log');
    await writeFile(file, Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n'));
    const log = { relative: 'ci/1/lane.log', file, size: (await stat(file)).size, gzip: false, sha256: 'f'.repeat(64) };
    const cache = path.join(dir, 'cache');
    const first = await new LogRenderer(cache, logLimitsFor(100)).render(log, 'run-1-lane', path.join(dir, 'out/1/lane.txt'), '1/lane.txt');
    expect(first.truncated).toBe(true);
    await rm(file);
    const again = await new LogRenderer(cache, logLimitsFor(100)).render(log, 'run-1-lane', path.join(dir, 'out2/1/lane.txt'), '1/lane.txt');
    expect(again).toEqual(first);
    // The whole text is published from the cache too.
    expect((await readFile(path.join(dir, 'out2/1/lane.txt'), 'utf8')).split('\n')).toHaveLength(301);
    // Another limit is another rendering: it would need the file, which is gone.
    await expect(new LogRenderer(cache, logLimitsFor(200)).render(log, 'run-1-lane', path.join(dir, 'out3/1/lane.txt'), '1/lane.txt')).rejects.toThrow(/ENOENT/);
  });
});
