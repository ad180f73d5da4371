import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { checkLaneLogs, gzipProblem, LogHashes } from '../../../scripts/archive/lane-logs.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A branch folder with a real log, and a CI file naming `logs`, one lane each. */
async function branchWithLogs(logs: string[]) {
  const work = await tempDir('ra-lane-logs-');
  const folder = path.join(work, 'archive/branches/7-greet');
  await mkdir(path.join(folder, 'ci/1'), { recursive: true });
  await writeFile(path.join(folder, 'ci/1/test.log'), 'ok\n');
  const yaml = `runs:\n  - id: 1\n    lanes:\n${logs.map((log, index) => `      - { name: lane${index}, log: ${log} }\n`).join('')}`;
  const check = () => checkLaneLogs(folder, 'ci.yaml', parseYamlSource(yaml));
  return { work, folder, check };
}

describe('the logs a CI file names', () => {
  it('follows a symlink that stays in the folder of the CI file, and hashes the file it leads to', async () => {
    const { folder, check } = await branchWithLogs(['ci/latest.log']);
    await symlink('1/test.log', path.join(folder, 'ci/latest.log'));
    const { logs, problems } = await check();
    expect(problems).toEqual([]);
    expect(logs.get('0/0')).toEqual({ relative: 'ci/latest.log', file: path.join(folder, 'ci/1/test.log'), size: 3, gzip: false, sha256: createHash('sha256').update('ok\n').digest('hex') });
  });

  it('refuses a symlink out of the folder (even into the same archive), a FIFO and a dangling link, each on its own line', async () => {
    const { work, folder, check } = await branchWithLogs(['ci/other-branch.log', 'ci/pipe.log', 'ci/gone.log', 'ci/secret.log']);
    await mkdir(path.join(work, 'archive/branches/8-other'), { recursive: true });
    await writeFile(path.join(work, 'archive/branches/8-other/ci.log'), 'not this branch\n');
    await symlink('../../8-other/ci.log', path.join(folder, 'ci/other-branch.log'));
    execFileSync('mkfifo', [path.join(folder, 'ci/pipe.log')]);
    await symlink('nothing-here.log', path.join(folder, 'ci/gone.log'));
    await writeFile(path.join(work, 'secret'), 'TOKEN=hunter2\n');
    await symlink(path.join(work, 'secret'), path.join(folder, 'ci/secret.log'));
    const { logs, problems } = await check();
    expect(logs.size).toBe(0);
    const outside = 'is a symbolic link to a place outside the folder of the CI file, which is never read or published; copy the file into the folder of the CI file instead';
    expect(problems).toEqual([
      { file: 'ci.yaml', line: 4, field: 'runs[0].lanes[0].log', message: `"ci/other-branch.log" ${outside}` },
      { file: 'ci.yaml', line: 5, field: 'runs[0].lanes[1].log', message: '"ci/pipe.log" is a named pipe (FIFO), but a CI log must be a regular file' },
      { file: 'ci.yaml', line: 6, field: 'runs[0].lanes[2].log', message: '"ci/gone.log" is a symbolic link to nothing (its target does not exist); replace it with the file itself' },
      { file: 'ci.yaml', line: 7, field: 'runs[0].lanes[3].log', message: `"ci/secret.log" ${outside}` },
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

describe('a gzip log', () => {
  const gzipLog = async (bytes: Buffer) => {
    const { folder, check } = await branchWithLogs(['ci/1/test.log.gz']);
    await writeFile(path.join(folder, 'ci/1/test.log.gz'), bytes);
    return check();
  };
  const lines = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join(''));

  it('is read when it uncompresses to its end, whole or as several members', async () => {
    const { logs, problems } = await gzipLog(Buffer.concat([gzipSync(lines), gzipSync('and one more\n')]));
    expect(problems).toEqual([]);
    expect(logs.get('0/0')).toMatchObject({ gzip: true });
  });

  it('is a problem of its field and line when damaged, cut short or followed by other bytes, never a failure while rendering', async () => {
    const whole = gzipSync(lines);
    const damaged = Buffer.from(whole);
    damaged.fill(0x55, 20, 60);
    const at = { file: 'ci.yaml', line: 4, field: 'runs[0].lanes[0].log' };
    const cases: Array<[Buffer, string]> = [
      [damaged, '"ci/1/test.log.gz" is not a readable gzip file (invalid '],
      [whole.subarray(0, whole.length / 2), '"ci/1/test.log.gz" is not a readable gzip file (it ends before its compressed data does); store the log as plain text, or compress it again with gzip'],
      [Buffer.concat([whole, Buffer.from('trailing words\n')]), '"ci/1/test.log.gz" is not a readable gzip file (incorrect header check)'],
      [Buffer.from('plain text in a .gz name\n'), '"ci/1/test.log.gz" is not a readable gzip file (incorrect header check)'],
    ];
    for (const [bytes, message] of cases) {
      const { logs, problems } = await gzipLog(bytes);
      expect(logs.size).toBe(0);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject(at);
      expect(problems[0]!.message.startsWith(message)).toBe(true);
    }
  });

  it('is refused past its uncompressed limit: a small file that would keep the build busy for hours', async () => {
    const zeros = gzipSync(Buffer.alloc(8 * 2 ** 20));
    expect(zeros.length).toBeLessThan(64 * 1024);
    expect(await gzipProblem(Readable.from([zeros]), 4 * 2 ** 20)).toBe('holds more than 4 MB of text uncompressed; archive a shorter log, or its first and last parts');
    expect(await gzipProblem(Readable.from([zeros]), 8 * 2 ** 20)).toBeUndefined();
  });

  it('is uncompressed once per content: a build that finds it as the last one left it does not read it again, unless no build checked it whole', async () => {
    const { folder } = await branchWithLogs([]);
    const file = path.join(folder, 'ci/1/test.log.gz');
    await writeFile(file, gzipSync(lines));
    let reads = 0;
    const first = new LogHashes({}, async () => {
      reads++;
      return 'x';
    });
    await first.hash(file, undefined, true);
    await first.save(path.join(folder, 'hashes.json'));
    const recorded = JSON.parse(await readFile(path.join(folder, 'hashes.json'), 'utf8'));
    expect(recorded[file]).toMatchObject({ sha256: 'x', gzipChecked: true });
    const second = await LogHashes.load(path.join(folder, 'hashes.json'));
    await second.hash(file, undefined, true);
    expect(reads).toBe(1);
    // Recorded by a build from before gzip logs were checked: read and checked once more.
    const { gzipChecked, ...unchecked } = recorded[file];
    expect(gzipChecked).toBe(true);
    const third = new LogHashes({ [file]: unchecked }, async () => {
      reads++;
      return 'x';
    });
    await third.hash(file, undefined, true);
    expect(reads).toBe(2);
  });
});
