import { execFileSync } from 'node:child_process';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFilesSafely, listFolderSafely, readTextSafely } from '../../scripts/archive/read-file-safely.ts';
import { tempDir } from '../support/temp-dir.ts';

async function archive() {
  const work = await tempDir('ra-safe-read-');
  const root = path.join(work, 'archive');
  await mkdir(path.join(root, 'logs'), { recursive: true });
  await writeFile(path.join(root, 'logs/build.log'), 'ok\n');
  await writeFile(path.join(work, 'secret'), 'SECRET\n');
  return { work, root };
}

describe('reading a file of an untrusted archive', () => {
  it('follows a symlink that stays inside the archive', async () => {
    const { root } = await archive();
    await symlink('logs/build.log', path.join(root, 'latest.log'));
    expect(await readTextSafely(root, path.join(root, 'latest.log'), 100)).toEqual({ kind: 'ok', text: 'ok\n', realPath: path.join(root, 'logs/build.log') });
  });

  it('refuses one that leaves it, however it is spelled', async () => {
    const { work, root } = await archive();
    await symlink('../secret', path.join(root, 'relative.log'));
    await symlink(path.join(work, 'secret'), path.join(root, 'absolute.log'));
    await symlink(work, path.join(root, 'logs/up'));
    for (const file of ['relative.log', 'absolute.log', 'logs/up/secret']) {
      expect(await readTextSafely(root, path.join(root, file), 100)).toEqual({ kind: 'problem', message: 'is a symbolic link to a place outside the archive, which is never read or published; copy the file into the archive instead' });
    }
  });

  it('says missing for a file that is not there, and refuses what is not a regular file within its limit', async () => {
    const { root } = await archive();
    expect(await readTextSafely(root, path.join(root, 'none.log'), 100)).toEqual({ kind: 'missing' });
    expect(await readTextSafely(root, path.join(root, 'logs'), 100, 'a CI log')).toEqual({ kind: 'problem', message: 'is a folder, but a CI log must be a regular file' });
    execFileSync('mkfifo', [path.join(root, 'pipe.log')]);
    // Would block for ever were it opened for reading like a file.
    expect(await readTextSafely(root, path.join(root, 'pipe.log'), 100, 'a CI log')).toEqual({ kind: 'problem', message: 'is a named pipe (FIFO), but a CI log must be a regular file' });
    await writeFile(path.join(root, 'huge.log'), '');
    await truncate(path.join(root, 'huge.log'), 3 * 1024 ** 3);
    expect(await readTextSafely(root, path.join(root, 'huge.log'), 256 * 1024 ** 2, 'a CI log')).toEqual({ kind: 'problem', message: 'is 3.0 GB, more than the 256 MB a CI log may be (see "Size limits" in content/README.md)' });
  });

  it('lists folders without leaving the archive', async () => {
    const { work, root } = await archive();
    await symlink(work, path.join(root, 'logs/escape'));
    await symlink('build.log', path.join(root, 'logs/again.log'));
    expect(await listFolderSafely(root, path.join(root, 'logs/build.log'), 'logs/')).toEqual({ kind: 'problem', message: 'is a file, but logs/ must be a folder' });
    expect(await listFilesSafely(root, path.join(root, 'logs'))).toEqual({
      kind: 'ok',
      files: ['again.log', 'build.log'],
      problems: [{ path: path.join(root, 'logs/escape'), message: 'is a symbolic link to a place outside the archive, which is never read or published; copy the file into the archive instead' }],
    });
  });
});
