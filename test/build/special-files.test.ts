import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild } from '../support/run-build.ts';

const SECRET = 'AKIA-THIS-IS-A-SECRET-KEY-7f3a9c';

describe('an archive with links out of it and special files', () => {
  it('reports each as a problem with its path, reads nothing outside the archive and echoes no secret', async () => {
    const work = await tempDir('ra-special-');
    const content = path.join(work, 'content');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    const outside = path.join(work, 'outside');
    await mkdir(path.join(outside, 'folder'), { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), `${SECRET}\n`);
    await writeFile(path.join(outside, 'folder/id_rsa'), `${SECRET}\n`);
    const greet = path.join(content, 'branches/7-greet-in-french');
    const draft = path.join(content, 'branches/8-draft');

    // Branch 7: its diff, its CI file and its new files are links out of the archive.
    await rm(path.join(greet, 'diff.patch'));
    await symlink(path.join(outside, 'secret.txt'), path.join(greet, 'diff.patch'));
    await rm(path.join(greet, 'ci.yaml'));
    await symlink('../../../outside/secret.txt', path.join(greet, 'ci.yaml'));
    await mkdir(path.join(greet, 'files'));
    await symlink(path.join(outside, 'folder'), path.join(greet, 'files/new'));
    // Branch 8: branch.md is a folder, steps is a file, diff.patch a FIFO (which would block a read).
    await rm(path.join(draft, 'branch.md'));
    await mkdir(path.join(draft, 'branch.md'));
    await writeFile(path.join(draft, 'steps'), 'not a folder');
    await rm(path.join(draft, 'diff.patch'));
    execFileSync('mkfifo', [path.join(draft, 'diff.patch')]);
    // Branch 9: a symlink loop, and a 70 MB image (sparse: no disk used).
    const loop = path.join(content, 'branches/9-loop');
    await mkdir(loop);
    await writeFile(path.join(loop, 'branch.md'), (await readFile(path.join(greet, 'branch.md'), 'utf8')).replace(/^id: 7$/m, 'id: 9'));
    await symlink('diff.patch', path.join(loop, 'diff.patch'));
    await mkdir(path.join(loop, 'files/new'), { recursive: true });
    await writeFile(path.join(loop, 'files/new/big.png'), '');
    await truncate(path.join(loop, 'files/new/big.png'), 70 * 1024 * 1024);
    // A stray file among the branch folders, and archive.yaml as a folder.
    await writeFile(path.join(content, 'branches/2026-plans.md'), '# plans\n');
    await rm(path.join(content, 'archive.yaml'));
    await mkdir(path.join(content, 'archive.yaml'));

    const run = await runBuild(['--content', content, '--out', path.join(work, 'dist'), '--cache', path.join(work, 'cache')], 60_000);
    const shown = (file: string) => path.relative(process.cwd(), path.join(content, file));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').slice(1)).toEqual(
      [
        [`archive.yaml`, 'is a folder, but archive.yaml must be a regular file'],
        [`branches/2026-plans.md`, 'is not a folder: branches/ holds only branch folders, named <id>-<name> (e.g. 134-fix-login); move other files elsewhere'],
        [`branches/7-greet-in-french/ci.yaml`, 'is a symbolic link to a place outside the archive, which is never read or published; copy the file into the archive instead'],
        [`branches/7-greet-in-french/diff.patch`, 'is a symbolic link to a place outside the archive, which is never read or published; copy the file into the archive instead'],
        [`branches/7-greet-in-french/files/new`, 'is a symbolic link to a place outside the archive, which is never read or published; copy the file into the archive instead'],
        [`branches/8-draft/branch.md`, 'is a folder, but branch.md must be a regular file'],
        [`branches/8-draft/diff.patch`, 'is a named pipe (FIFO), but diff.patch must be a regular file'],
        [`branches/8-draft/steps`, 'is a file, but steps/ must be a folder'],
        [`branches/9-loop/diff.patch`, 'is a symbolic link that leads back to itself (a loop); replace it with the file itself'],
        [`branches/9-loop/files/new/big.png`, 'is 70 MB, more than the 64 MB a file under files/ may be (see "Size limits" in content/README.md)'],
      ].map(([file, message]) => `  ${shown(file!)}: ${message}`),
    );
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain('AKIA');
  });
});
