import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLaneLogs } from '../../../scripts/archive/lane-logs.ts';
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
