import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, createRepo, type TestRepo } from '../support/git-repo.ts';
import { runBuild, runScript } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runNew = (args: string[]) => runScript('scripts/author/new.ts', args);

describe('npm run new', () => {
  let archive: string;
  let repo: TestRepo;
  let base: string;
  let head: string;

  beforeAll(async () => {
    archive = path.join(await tempDir('review-archive-new-'), 'archive');
    await cp(path.join(projectRoot, 'test/fixtures/archives/good'), archive, { recursive: true });
    repo = await createRepo();
    await repo.write({ 'src/tide.ts': 'export const level = 1;\n' });
    base = await repo.commit('Start');
    await repo.switchTo('feature/surge');
    await repo.write({ 'src/tide.ts': 'export const level = 2;\nexport const surge = true;\n', 'docs/surge.md': '# Surge\n' });
    await repo.commit('Measure the surge', BOB);
    await repo.write({ 'src/tide.ts': 'export const level = 3;\nexport const surge = true;\n' });
    head = await repo.commit('Raise the level\n\nThe gauge reads high at spring tide.', BOB);
    await repo.switchTo('master');
  });

  afterAll(() => repo?.remove());

  it('makes a branch from git and a step in it that build as they are', async () => {
    const branch = await runNew(['branch', '--repo', repo.dir, '--base', 'master', '--head', 'feature/surge', '--content', archive]);
    expect(branch.stderr).toBe('');
    expect(branch.stdout.trim()).toBe(`review-archive new: wrote ${path.join(archive, 'branches/9-feature-surge')} (branch 9, 2 changed files); add steps with npm run new -- step 9 "Title"`);
    expect(await readFile(path.join(archive, 'branches/9-feature-surge/branch.md'), 'utf8')).toBe(
      [
        '---',
        'id: 9',
        'name: feature/surge',
        'title: Raise the level',
        'state: open',
        'target: master',
        `head: ${head}`,
        `base: ${base}`,
        'author: Bob Example',
        'updated: 2026-01-05T13:00:00+00:00',
        'tutorial: pending',
        '---',
        '',
        'The gauge reads high at spring tide.',
        '',
        'Commits, oldest first:',
        '',
        '- Measure the surge',
        '- Raise the level',
        '',
      ].join('\n'),
    );
    expect(await readFile(path.join(archive, 'branches/9-feature-surge/diff.patch'), 'utf8')).toBe(await repo.git('diff', '-M', base, head, '--'));

    const step = await runNew(['step', '9', 'Why the level rises', '--content', archive]);
    expect(step.code).toBe(0);
    expect(await readdir(path.join(archive, 'branches/9-feature-surge/steps'))).toEqual(['01-why-the-level-rises.md']);
    const second = await runNew(['step', '9-feature-surge', 'Document it', '--content', archive]);
    expect(second.stdout).toContain('steps/02-document-it.md (2 files, 2 hunks to choose from');

    const built = await runBuild(['--content', archive, '--content-only', '--cache', path.join(path.dirname(archive), 'cache')]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
  });

  it('makes a branch from a diff file, its unknown commits all zeros', async () => {
    const patch = path.join(path.dirname(archive), 'fix.patch');
    await writeFile(patch, await repo.git('diff', base, head, '--', 'docs'));
    const made = await runNew(['branch', '--diff', patch, '--title', 'Document the surge', '--content', archive]);
    expect(made.code).toBe(0);
    const text = await readFile(path.join(archive, 'branches/10-document-the-surge/branch.md'), 'utf8');
    expect(text).toContain('name: document-the-surge\ntitle: Document the surge\nstate: open\ntarget: main\nhead: "0000000000000000000000000000000000000000"\n');
    expect(made.stdout).toContain('replace the zeros');
  });

  it('says what is wrong, writes nothing and exits 1', async () => {
    const before = await readdir(path.join(archive, 'branches'));
    const cases: Array<[string[], string]> = [
      [['step', '404', 'Title', '--content', archive], `review-archive new: no branch "404" in ${path.join(archive, 'branches')} (ids: 7, 8, 9, 10)`],
      [['branch', '--repo', repo.dir, '--base', 'master', '--head', 'no-such-branch', '--content', archive], `review-archive new: --head no-such-branch: no such commit or branch in ${repo.dir}`],
      [['branch', '--diff', path.join(archive, 'missing.patch'), '--content', archive], `review-archive new: --diff ${path.join(archive, 'missing.patch')}: no such file`],
      [['branch', '--diff', patchOf(archive), '--id', '7', '--content', archive], `review-archive new: --id 7 is taken by ${path.join(archive, 'branches/7-greet-in-french')}`],
      // A file given as the archive: one line, not a stack trace.
      [['step', '7', 'Title', '--content', path.join(archive, 'archive.yaml')], `review-archive new: --content ${path.join(archive, 'archive.yaml')}: ${path.join(archive, 'archive.yaml')} is a file, not a folder: choose another place`],
    ];
    for (const [args, message] of cases) {
      const run = await runNew(args);
      expect(run.stderr.trim(), args.join(' ')).toBe(message);
      expect(run.code).toBe(1);
    }
    expect(await readdir(path.join(archive, 'branches'))).toEqual(before);
  });
});

function patchOf(archive: string): string {
  return path.join(archive, 'branches/7-greet-in-french/diff.patch');
}
