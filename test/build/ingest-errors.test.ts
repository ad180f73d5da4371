import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../support/git-repo.ts';
import { runScript } from '../support/run-build.ts';


/** `npm run ingest -- <args>` as a user runs it: exit code, stdout and stderr. */
function runIngest(args: string[]) {
  return runScript('scripts/ingest/ingest.ts', args);
}

const exists = (file: string) => access(file).then(() => true, () => false);

let repo: TestRepo;
let work: string;

beforeAll(async () => {
  repo = await createRepo('gadgets');
  await repo.write({ 'a.txt': 'a\n' });
  await repo.commit('Initial commit');
  await repo.switchTo('feature');
  await repo.write({ 'a.txt': 'b\n' });
  await repo.commit('Change a');
  await repo.switchTo('master');
  await repo.merge('feature', "Merge branch 'feature'");
  work = await mkdtemp(path.join(os.tmpdir(), 'ra-ingest-errors-'));
});

afterAll(async () => {
  await repo.remove();
  await rm(work, { recursive: true, force: true });
});

describe('npm run ingest', () => {
  it('ingests from the command line and says what it did', async () => {
    const out = path.join(work, 'ok');
    const run = await runIngest(['--repo', repo.dir, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^review-archive: ingested 1 branch from .*gadgets into .*ok \(1 written, 0 unchanged\) in \d+\.\ds\n$/);
    expect(run.stderr).toContain('ingest: 1/1 branches (100 %)');
  });

  it('refuses a folder that is not a git repository and writes nothing', async () => {
    const plain = path.join(work, 'plain');
    await mkdir(plain);
    const out = path.join(work, 'not-written');
    const run = await runIngest(['--repo', plain, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^review-archive: cannot ingest; nothing was written\.\n {2}.*plain: --repo: is not a git repository \(git says: not a git repository/);
    expect(await exists(out)).toBe(false);
  });

  it('names a file in the way of --out with the repository\'s own problem, in one run, and leaves the file alone', async () => {
    const file = path.join(work, 'a-file');
    await writeFile(file, 'mine\n');
    const run = await runIngest(['--repo', path.join(work, 'nowhere'), '--out', path.join(file, 'archive')]);
    expect(run.code).toBe(1);
    // Problems are sorted by path, as every report is.
    expect(run.stderr).toBe(`review-archive: cannot ingest; nothing was written.\n  ${path.join(file, 'archive')}: --out: ${file} is a file, not a folder: choose another place\n  ${path.join(work, 'nowhere')}: --repo: does not exist\n`);
    expect(await readFile(file, 'utf8')).toBe('mine\n');
  });

  it('refuses a path that does not exist', async () => {
    const run = await runIngest(['--repo', path.join(work, 'nowhere'), '--out', path.join(work, 'x')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere: --repo: does not exist');
  });

  it('refuses a folder inside a repository, pointing at the repository\'s top', async () => {
    const inner = path.join(repo.dir, 'inner');
    await mkdir(inner, { recursive: true });
    const run = await runIngest(['--repo', inner, '--out', path.join(work, 'x')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--repo: is inside the repository ${repo.dir} but is not its top folder: pass --repo ${repo.dir}`);
  });

  it('names an unknown target and the branches that exist, and writes nothing', async () => {
    const out = path.join(work, 'no-target');
    const run = await runIngest(['--repo', repo.dir, '--out', out, '--target', 'develop']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--target: "develop" is not a branch of');
    expect(run.stderr).toContain('its branches are feature, master');
    expect(await exists(out)).toBe(false);
  });

  it('refuses to mix targets in one archive', async () => {
    const out = path.join(work, 'mixed');
    expect((await runIngest(['--repo', repo.dir, '--out', out])).code).toBe(0);
    const before = await readFile(path.join(out, '.ingest-state.json'), 'utf8');
    const run = await runIngest(['--repo', repo.dir, '--out', out, '--target', 'feature']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('.ingest-state.json: target: this archive was ingested from "master", not "feature"');
    expect(await readFile(path.join(out, '.ingest-state.json'), 'utf8')).toBe(before);
  });

  it('reports a damaged state file by its line and field', async () => {
    const out = path.join(work, 'damaged');
    await mkdir(out);
    await writeFile(path.join(out, '.ingest-state.json'), '{\n  "version": 2,\n  "target": "master",\n  "branches": {}\n}\n');
    const run = await runIngest(['--repo', repo.dir, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\.ingest-state\.json:2: version: must be one of 1, not 2/);
  });

  it('never replaces an existing archive.yaml', async () => {
    const out = path.join(work, 'own-config');
    await mkdir(out);
    await writeFile(path.join(out, 'archive.yaml'), 'repo: team/gadgets\ntitle: Our gadget reviews\n');
    expect((await runIngest(['--repo', repo.dir, '--out', out])).code).toBe(0);
    expect(await readFile(path.join(out, 'archive.yaml'), 'utf8')).toBe('repo: team/gadgets\ntitle: Our gadget reviews\n');
  });

  it('explains its options when they are wrong', async () => {
    const run = await runIngest(['--repo', repo.dir, '--limit', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--limit many: must be a whole number of branches, 1 or more');
  });
});
