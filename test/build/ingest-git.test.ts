import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePatch } from '../../scripts/diff/parse-patch.ts';
import type { ParsedPatch } from '../../scripts/diff/types.ts';
import { ingest } from '../../scripts/ingest/run-ingest.ts';
import { BOB, createRepo, type TestRepo } from '../support/git-repo.ts';
import { runBuild } from '../support/run-build.ts';

/**
 * One repository with every merge style ingest recognises, a rename, a binary file and open
 * branches (local and remote-tracking), ingested once and built into a site.
 */
let repo: TestRepo;
let work: string;
let out: string;
const shas: Record<string, string> = {};

async function buildHistory(): Promise<void> {
  await repo.write({
    'README.md': '# Widgets\n\nSmall widgets.\n',
    'src/greet.ts': 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n',
    'src/shapes.py': 'def area(w, h):\n    return w * h\n',
  });
  shas.initial = await repo.commit('Initial commit');

  await repo.switchTo('feature/french');
  await repo.write({
    'src/greet.ts': 'export function greet(name: string, fr = false): string {\n  return `${fr ? "Bonjour" : "Hello"}, ${name}`;\n}\n',
    'test/greet.test.ts': "import { greet } from '../src/greet';\n\ngreet('Ada', true);\n",
  });
  shas.frenchHead = await repo.commit('Greet in French', BOB);
  await repo.switchTo('master');
  shas.frenchMerge = await repo.merge('feature/french', "Merge branch 'feature/french'");

  await repo.switchTo('fix-typo');
  await repo.write({ 'README.md': '# Widgets\n\nSmall, sturdy widgets.\n' });
  shas.typoHead = await repo.commit('Fix the README');
  await repo.switchTo('master');
  shas.typoMerge = await repo.merge('fix-typo', 'Merge pull request #42 from acme/fix-typo\n\nDescribe the widgets better\n\nThe README said too little.');

  await repo.switchTo('docs');
  await repo.write({ 'docs/shapes.md': '# Shapes\n\nAreas of rectangles.\n' });
  await repo.commit('Document shapes');
  await repo.switchTo('master');
  shas.docsMerge = await repo.merge('docs', "Merge remote-tracking branch 'origin/docs'");

  await repo.switchTo('rename');
  await repo.git('mv', 'src/shapes.py', 'src/geometry.py');
  await repo.write({ 'assets/logo.png': new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]) });
  await repo.commit('Rename shapes to geometry, add a logo');
  await repo.switchTo('master');
  shas.squash = await repo.squashMerge('rename', 'Rename shapes to geometry (#43)');
  await repo.git('branch', '-D', 'rename', 'feature/french', 'fix-typo', 'docs');

  await repo.switchTo('wip');
  await repo.write({ 'src/wip.ts': 'export const wip = true;\n' });
  shas.wipHead = await repo.commit('Start on widgets in bulk', BOB);
  await repo.switchTo('search', 'master');
  await repo.write({ 'src/search.ts': 'export function search(q: string) {\n  return q.trim();\n}\n' });
  shas.searchHead = await repo.commit('Search widgets by name');
  // A branch that only exists on the remote: a remote-tracking ref and no local branch.
  await repo.git('update-ref', 'refs/remotes/origin/search', shas.searchHead);
  await repo.switchTo('master');
  await repo.git('branch', '-D', 'search');
  await repo.git('remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
}

async function branchFolders(dir: string): Promise<string[]> {
  return (await readdir(path.join(dir, 'branches'))).sort();
}

/** Front matter and body of a markdown file, read the way the build reads them (dates stay text). */
function splitMarkdown(text: string): { data: Record<string, unknown>; content: string } {
  const [, yaml = '', content = ''] = /^---\n([\s\S]*?)---\n?([\s\S]*)$/.exec(text) ?? [];
  return { data: parse(yaml) as Record<string, unknown>, content };
}

async function front(folder: string, file = 'branch.md'): Promise<Record<string, unknown>> {
  return splitMarkdown(await readFile(path.join(out, 'branches', folder, file), 'utf8')).data;
}

async function patchOf(folder: string): Promise<ParsedPatch> {
  const parsed = parsePatch(await readFile(path.join(out, 'branches', folder, 'diff.patch'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.patch;
}

beforeAll(async () => {
  repo = await createRepo('widgets');
  await buildHistory();
  work = await mkdtemp(path.join(os.tmpdir(), 'ra-ingest-'));
  out = path.join(work, 'content');
  const result = await ingest({ repo: repo.dir, out });
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  await repo.remove();
  await rm(work, { recursive: true, force: true });
});

describe('ingesting a repository with every merge style', () => {
  it('writes one folder per merged and open branch: pull requests by number, the rest numbered above them', async () => {
    expect(await branchFolders(out)).toEqual(['42-fix-typo', '43-pull-43', '44-feature-french', '45-docs', '46-wip', '47-search']);
  });

  it('takes a merged branch\'s facts from the merge: head, base, author and title from the branch tip', async () => {
    expect(await front('44-feature-french')).toEqual({
      id: 44,
      name: 'feature/french',
      title: 'Greet in French',
      state: 'merged',
      target: 'master',
      merge_commit: shas.frenchMerge,
      head: shas.frenchHead,
      base: shas.initial,
      author: 'Bob Example',
      updated: '2026-01-05T13:00:00+00:00',
      tutorial: 'ready',
    });
  });

  it('takes a pull request\'s title from its merge message and its description as the summary', async () => {
    const text = await readFile(path.join(out, 'branches/42-fix-typo/branch.md'), 'utf8');
    expect(splitMarkdown(text).data).toMatchObject({ id: 42, name: 'fix-typo', title: 'Describe the widgets better', head: shas.typoHead, merge_commit: shas.typoMerge });
    expect(splitMarkdown(text).content.trim()).toBe('The README said too little.');
  });

  it('names a remote-tracking merge after the branch, without the remote', async () => {
    expect(await front('45-docs')).toMatchObject({ name: 'docs', title: 'Document shapes', merge_commit: shas.docsMerge });
  });

  it('reads a squash merge as a merged branch whose head is the squash commit, with its rename and binary file', async () => {
    expect(await front('43-pull-43')).toMatchObject({ id: 43, title: 'Rename shapes to geometry', state: 'merged', head: shas.squash, merge_commit: shas.squash });
    const patch = await patchOf('43-pull-43');
    expect(patch.files.map((file) => [file.status, file.oldPath, file.newPath, file.binary])).toEqual([
      ['added', null, 'assets/logo.png', true],
      ['renamed', 'src/shapes.py', 'src/geometry.py', false],
    ]);
  });

  it('diffs a merged branch against the merge\'s first parent and an open one against its merge base', async () => {
    expect((await patchOf('44-feature-french')).files.map((f) => f.newPath)).toEqual(['src/greet.ts', 'test/greet.test.ts']);
    expect((await patchOf('46-wip')).files.map((f) => f.newPath)).toEqual(['src/wip.ts']);
    expect(await front('46-wip')).toMatchObject({ state: 'open', head: shas.wipHead, base: shas.squash, author: 'Bob Example', title: 'Start on widgets in bulk' });
    expect(await front('47-search')).toMatchObject({ state: 'open', name: 'search', head: shas.searchHead });
  });

  it('derives steps from the diff, related files together, marked as generated', async () => {
    const steps = await readdir(path.join(out, 'branches/44-feature-french/steps'));
    expect(steps).toEqual(['01-change-src-greet-ts-and-1-related-file.md']);
    const step = await front('44-feature-french', `steps/${steps[0]}`);
    expect(step).toMatchObject({ files: ['src/greet.ts', 'test/greet.test.ts'], generated: true });
    expect(step.evidence).toEqual([
      { file: 'src/greet.ts', hunk: '@@ -1,3 +1,3 @@' },
      { file: 'test/greet.test.ts', hunk: '@@ -0,0 +1,3 @@' },
    ]);
  });

  it('writes archive.yaml with the repository named after its origin remote', async () => {
    expect(await readFile(path.join(out, 'archive.yaml'), 'utf8')).toBe('repo: acme/widgets\ntitle: widgets reviews\n');
  });

  it('produces an archive the build accepts', async () => {
    const run = await runBuild(['--content', out, '--content-only', '--cache', path.join(work, 'cache-check')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('gives pages that show the generated steps and their evidence hunks', async () => {
    const site = path.join(work, 'site');
    const run = await runBuild(['--content', out, '--out', site, '--cache', path.join(work, 'cache-site')]);
    expect(run.code).toBe(0);
    const page = await readFile(path.join(site, 'branch/44/index.html'), 'utf8');
    expect(page).toContain('Generated from the diff');
    expect(page).toContain('@@ -1,3 +1,3 @@');
    expect(page).toContain('Greet in French');
    const feed = await readFile(path.join(site, 'index.html'), 'utf8');
    for (const title of ['Describe the widgets better', 'Rename shapes to geometry', 'Search widgets by name']) expect(feed).toContain(title);
  });

  it('reads a bare clone the same way: the same merged branches, byte for byte', async () => {
    const bare = await repo.cloneBare();
    const bareOut = path.join(work, 'from-bare');
    const result = await ingest({ repo: bare, out: bareOut });
    expect(result.ok).toBe(true);
    // A bare clone has no remote-tracking refs: the remote-only branch is not there.
    expect(await branchFolders(bareOut)).toEqual(['42-fix-typo', '43-pull-43', '44-feature-french', '45-docs', '46-wip']);
    for (const folder of ['42-fix-typo', '43-pull-43', '44-feature-french', '45-docs']) {
      for (const file of ['branch.md', 'diff.patch']) {
        expect(await readFile(path.join(bareOut, 'branches', folder, file), 'utf8')).toBe(await readFile(path.join(out, 'branches', folder, file), 'utf8'));
      }
    }
  });
});
