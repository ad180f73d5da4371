import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../scripts/ingest/run-ingest.ts';
import { BOB, createRepo, type TestRepo } from '../support/git-repo.ts';
import { runBuild } from '../support/run-build.ts';

let repo: TestRepo;
let out: string;

/** Initial commit, pull request #5, a merged branch "docs" and an open branch "wip". */
async function baseHistory(): Promise<void> {
  await repo.write({ 'src/parser.ts': 'export const parse = (s: string) => s;\n', 'README.md': '# Parser\n' });
  await repo.commit('Initial commit');
  await repo.switchTo('trim');
  await repo.write({ 'src/parser.ts': 'export const parse = (s: string) => s.trim();\n' });
  await repo.commit('Trim the input');
  await repo.switchTo('master');
  await repo.merge('trim', 'Merge pull request #5 from acme/trim\n\nTrim what we parse');
  await repo.switchTo('docs');
  await repo.write({ 'README.md': '# Parser\n\nParses strings.\n' });
  await repo.commit('Say what the parser does');
  await repo.switchTo('master');
  await repo.merge('docs', "Merge branch 'docs'");
  await repo.switchTo('wip');
  await repo.write({ 'src/numbers.ts': 'export const number = (s: string) => Number(s);\n' });
  await repo.commit('Parse numbers', BOB);
  await repo.switchTo('master');
}

async function run(options: { since?: Date; limit?: number } = {}): Promise<IngestSummary> {
  const result = await ingest({ repo: repo.dir, out, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.summary;
}

/** Every file of the archive with its text and modification time. */
async function snapshot(dir: string): Promise<Map<string, { text: string; mtimeMs: number }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  const result = new Map<string, { text: string; mtimeMs: number }>();
  for (const file of files.sort()) result.set(file, { text: await readFile(path.join(dir, file), 'utf8'), mtimeMs: (await stat(path.join(dir, file))).mtimeMs });
  return result;
}

const folders = async () => (await readdir(path.join(out, 'branches'))).sort();
const read = (file: string) => readFile(path.join(out, 'branches', file), 'utf8');

beforeEach(async () => {
  repo = await createRepo('parser');
  await baseHistory();
  out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ra-rerun-')), 'content');
});

afterEach(async () => {
  await repo.remove();
  await rm(path.dirname(out), { recursive: true, force: true });
});

describe('ingesting again', () => {
  it('changes nothing when nothing changed: same files, same modification times', async () => {
    await run();
    const before = await snapshot(out);
    const summary = await run();
    expect(summary).toMatchObject({ branches: 3, written: 0, unchanged: 3 });
    expect(await snapshot(out)).toEqual(before);
  });

  it('adds a new branch with a new id, keeps old ids, and leaves unchanged folders untouched', async () => {
    await run();
    expect(await folders()).toEqual(['5-trim', '6-docs', '7-wip']);
    const before = await snapshot(out);

    await repo.switchTo('search');
    await repo.write({ 'src/search.ts': 'export const search = (s: string) => s.includes("x");\n' });
    await repo.commit('Search');
    await repo.switchTo('master');
    await repo.merge('search', "Merge branch 'search'");
    await repo.switchTo('wip');
    await repo.write({ 'src/numbers.ts': 'export const number = (s: string) => Number.parseFloat(s);\n' });
    const wipHead = await repo.commit('Parse decimals', BOB);
    await repo.switchTo('master');

    const summary = await run();
    expect(summary).toMatchObject({ branches: 4, written: 2, unchanged: 2 });
    expect(await folders()).toEqual(['5-trim', '6-docs', '7-wip', '8-search']);
    const after = await snapshot(out);
    for (const file of ['branches/5-trim/branch.md', 'branches/5-trim/diff.patch', 'branches/6-docs/branch.md', 'archive.yaml']) {
      expect(after.get(file), file).toEqual(before.get(file));
    }
    expect(await read('7-wip/branch.md')).toContain(`head: ${wipHead}`);
  });

  it('never overwrites a step a person edited, even when the branch moves on', async () => {
    await run();
    const [stepName] = await readdir(path.join(out, 'branches/7-wip/steps'));
    const stepFile = path.join(out, 'branches/7-wip/steps', stepName!);
    const edited = (await readFile(stepFile, 'utf8')).replace(/^intent: .*$/m, 'intent: Numbers arrive as text from the form; parse them once, here.');
    await writeFile(stepFile, edited);

    await repo.switchTo('wip');
    await repo.write({ 'README.md': '# Parser\n\nAlso numbers.\n' });
    const wipHead = await repo.commit('Mention numbers', BOB);
    await repo.switchTo('master');
    const summary = await run();

    expect(await readFile(stepFile, 'utf8')).toBe(edited);
    expect(await readdir(path.join(out, 'branches/7-wip/steps'))).toEqual([stepName]);
    expect(await read('7-wip/branch.md')).toContain(`head: ${wipHead}`);
    expect(summary.notes).toContain(`branches/7-wip: steps/${stepName} was written or changed by a person: kept as it is`);
    const build = await runBuild(['--content', out, '--content-only', '--cache', path.join(path.dirname(out), 'cache')]);
    expect(build.code).toBe(0);
  });

  it('keeps the id of an open branch once it is merged, and marks it merged', async () => {
    await run();
    await repo.merge('wip', "Merge branch 'wip'");
    const merge = await repo.sha();
    await repo.git('branch', '-d', 'wip');
    await run();
    expect(await folders()).toEqual(['5-trim', '6-docs', '7-wip']);
    const branch = await read('7-wip/branch.md');
    expect(branch).toContain('state: merged');
    expect(branch).toContain(`merge_commit: ${merge}`);
  });

  it('marks an open branch closed when its ref is deleted without being merged', async () => {
    await run();
    await repo.git('branch', '-D', 'wip');
    const summary = await run();
    expect(summary.retired).toBe(1);
    expect(await read('7-wip/branch.md')).toContain('state: closed');
    expect(await run()).toMatchObject({ written: 0, retired: 0 });
  });

  it('takes only branches updated since a date, or only the most recent few', async () => {
    // Commits are one hour apart from 2026-01-05 10:00 UTC: the "docs" merge is at 15:00, "wip" at 16:00.
    await run({ since: new Date('2026-01-05T14:30:00Z') });
    expect(await folders()).toEqual(['6-docs', '7-wip']);
    await rm(out, { recursive: true });
    await run({ limit: 1 });
    expect(await folders()).toEqual(['6-wip']);
  });
});
