import { cp, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild } from '../support/run-build.ts';

/**
 * A build skips reading branch folders whose files look unchanged to `stat`. These check that it
 * still sees every real change, and that a duplicate id is caught even against a folder it skipped.
 */
describe('branch folders a build does not read again', () => {
  let work: string;
  let content: string;
  let out: string;
  const build = () => runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);

  beforeAll(async () => {
    work = await tempDir('ra-unchanged-');
    content = path.join(work, 'content');
    out = path.join(work, 'dist');
    await cp('test/fixtures/archives/good', content, { recursive: true });
    expect((await build()).code).toBe(0);
  });

  it('sees an edit that keeps the size and puts the old modification time back', async () => {
    const step = path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md');
    const before = await stat(step);
    const text = await readFile(step, 'utf8');
    const edited = text.replace('area', 'AREA');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    await writeFile(step, edited);
    await utimes(step, before.atime, before.mtime);
    const run = await build();
    expect(run.stdout).toMatch(/\(1 unchanged\) .* 1 changed branch pages rebuilt/);
    expect(await readFile(path.join(out, 'branch/7/index.html'), 'utf8')).toContain('AREA');
  });

  it('reads a touched folder again but rebuilds nothing when its bytes are the same', async () => {
    const now = new Date();
    await utimes(path.join(content, 'branches/8-draft/branch.md'), now, now);
    const run = await build();
    expect(run.stdout).toMatch(/\(2 unchanged\) .* no page changed/);
  });

  it('reports a new folder that reuses the id of a folder it did not read', async () => {
    await cp(path.join(content, 'branches/8-draft'), path.join(content, 'branches/8-draft-copy'), { recursive: true });
    const run = await build();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/8-draft-copy\/branch\.md:\d+: id: 8 is already used by .*8-draft\/branch\.md; branch ids must be unique/);
  });
});
