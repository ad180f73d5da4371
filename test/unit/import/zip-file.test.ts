import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogText, writeLog } from '../../../scripts/import/forge/log-source.ts';
import { closeZip, openZip, readZipDirectory, zipEntryChunks, type ZipEntry } from '../../../scripts/import/github/zip-file.ts';
import { readFile } from 'node:fs/promises';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ra-zip-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function textOf(file: string, entry: ZipEntry): Promise<string> {
  const chunks: Uint8Array[] = [];
  const zip = openZip(file);
  try {
    for (const chunk of zipEntryChunks(zip, entry)) chunks.push(chunk);
  } finally {
    closeZip(zip);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A zip as fflate's streaming writer makes it: sizes and CRC only in data descriptors after each entry, as GitHub's are. */
function streamedZip(files: Record<string, string>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      parts.push(chunk);
      if (final) resolve(Buffer.concat(parts));
    });
    for (const [name, text] of Object.entries(files)) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(strToU8(text), true);
    }
    zip.end();
  });
}

describe('reading a zip one entry at a time', () => {
  it('lists deflated and stored entries with their UTF-8 names and reads each back, a big one in pieces', async () => {
    const file = path.join(work, 'plain.zip');
    const stored = 'y'.repeat(700_000) + '\n';
    // Over 4 MB: inflated a piece at a time.
    const big = Array.from({ length: 200_000 }, (_, i) => `2026-01-05T12:00:00Z line ${i}`).join('\n');
    await writeFile(file, zipSync({ '0_test (node 22).txt': [strToU8('passed ✓\n'), { level: 6 }], 'build ünïcode/1_Set up.txt': [strToU8(stored), { level: 0 }], '2_big.txt': [strToU8(big), { level: 6 }] }));
    const entries = readZipDirectory(file);
    expect(entries.map((entry) => [entry.name, entry.method, entry.size])).toEqual([
      ['0_test (node 22).txt', 8, 11],
      ['build ünïcode/1_Set up.txt', 0, stored.length],
      ['2_big.txt', 8, big.length],
    ]);
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(await textOf(file, entries[0]!)).toBe('passed ✓\n');
    expect(await textOf(file, entries[1]!)).toBe(stored);
    expect(await textOf(file, entries[2]!)).toBe(big);
  });

  it('reads a zip written as a stream, whose local headers carry no sizes', async () => {
    const file = path.join(work, 'streamed.zip');
    await writeFile(file, await streamedZip({ '0_lint.txt': 'lint ok\n'.repeat(5000), '1_test.txt': 'test ok\n' }));
    const entries = readZipDirectory(file);
    expect(entries.map((entry) => entry.flags & 8)).toEqual([8, 8]);
    expect(await textOf(file, entries[0]!)).toBe('lint ok\n'.repeat(5000));
    expect(await textOf(file, entries[1]!)).toBe('test ok\n');
  });

  it('finds a download cut short, and a damaged entry by its CRC, naming the entry', async () => {
    const bytes = zipSync({ '0_test.txt': [strToU8('all tests passed\n'.repeat(100)), { level: 0 }] });
    const cut = path.join(work, 'cut.zip');
    await writeFile(cut, bytes.subarray(0, bytes.length - 30));
    expect(() => readZipDirectory(cut)).toThrow('no end of central directory: not a zip, or the download was cut short');
    const damaged = path.join(work, 'damaged.zip');
    const copy = Buffer.from(bytes);
    copy[100] = copy[100]! ^ 0xff;
    await writeFile(damaged, copy);
    const [entry] = readZipDirectory(damaged);
    await expect(textOf(damaged, entry!)).rejects.toThrow('entry "0_test.txt" fails its CRC-32 check: the zip is damaged');
  });

  it('says so for deflated data that does not inflate', async () => {
    const bytes = Buffer.from(zipSync({ '0_test.txt': [strToU8('some log text that deflates\n'.repeat(50)), { level: 9 }] }));
    // The deflate stream starts after the 30-byte local header and the name.
    bytes.fill(0xff, 30 + '0_test.txt'.length, 30 + '0_test.txt'.length + 8);
    const file = path.join(work, 'bad-deflate.zip');
    await writeFile(file, bytes);
    const [entry] = readZipDirectory(file);
    await expect(textOf(file, entry!)).rejects.toThrow(/^entry "0_test.txt" cannot be inflated \(/);
  });
});

describe('copying a job log out of a logs zip', () => {
  it('joins step files as groups, each ending in a newline, without their byte order marks', async () => {
    const file = path.join(work, 'steps.zip');
    await writeFile(file, zipSync({ 'test/1_Set up job.txt': strToU8('\ufeffrunner 2.321.0'), 'test/2_Run npm test.txt': strToU8('\ufeff24 passed\n') }));
    const entries = readZipDirectory(file);
    const source = { kind: 'zip' as const, file, parts: [{ entry: entries[0]!, step: 'Set up job' }, { entry: entries[1]!, step: 'Run npm test' }] };
    const expected = '##[group]Set up job\nrunner 2.321.0\n##[endgroup]\n##[group]Run npm test\n24 passed\n##[endgroup]\n';
    expect(readLogText(source)).toBe(expected);
    const target = path.join(work, 'test.log');
    writeLog(source, target);
    expect(await readFile(target, 'utf8')).toBe(expected);
  });
});
