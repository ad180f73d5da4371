import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../scripts/ingest/run-ingest.ts';
import { createRepo, type TestRepo } from '../support/git-repo.ts';
import { runBuild } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const git = (...args: string[]) => run('git', args, { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });

/**
 * A small history: a merged branch that adds a large file (its blob is what a partial clone lacks),
 * a merged branch with a small change, and an open branch.
 */
let repo: TestRepo;
let work: string;
let bigBlob: string;

beforeAll(async () => {
  repo = await createRepo('gadgets');
  work = await tempDir('ra-ingest-damaged-');
  await repo.write({ 'README.md': '# Gadgets\n' });
  await repo.commit('Initial commit');
  await repo.switchTo('add-table');
  await repo.write({ 'data/table.csv': Array.from({ length: 400 }, (_, i) => `${i},gadget ${i},${(i * 7919) % 1000}`).join('\n') + '\n' });
  await repo.commit('Add the gadget table');
  bigBlob = (await repo.git('rev-parse', 'HEAD:data/table.csv')).trim();
  await repo.switchTo('master');
  await repo.merge('add-table', 'Merge pull request #1 from acme/add-table\n\nAdd the gadget table');
  await repo.switchTo('fix-readme');
  await repo.write({ 'README.md': '# Gadgets\n\nSmall gadgets.\n' });
  await repo.commit('Describe the gadgets');
  await repo.switchTo('master');
  await repo.merge('fix-readme', 'Merge pull request #2 from acme/fix-readme\n\nDescribe the gadgets');
  await repo.switchTo('wip');
  await repo.write({ 'src/wip.ts': 'export const wip = true;\n' });
  await repo.commit('Start on wip');
  await repo.switchTo('master');
  await repo.git('branch', '-D', 'add-table', 'fix-readme');
  await repo.git('config', 'uploadpack.allowFilter', 'true');
});

afterAll(() => repo?.remove());

describe('ingest from a partial clone that lacks a blob', () => {
  it('writes the branch whose diff git cannot read with a note, and ingests the rest', async () => {
    const partial = path.join(work, 'partial.git');
    await git('clone', '--quiet', '--bare', '--filter=blob:limit=1k', `file://${repo.dir}`, partial);
    // No promisor to fetch the missing blob from, as with a mirror taken from a partial clone.
    await git('--git-dir', partial, 'remote', 'set-url', 'origin', path.join(work, 'gone'));
    const out = path.join(work, 'from-partial');

    const result = await ingest({ repo: partial, out, chunkSize: 16 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary.branches).toBe(3);
    expect(result.summary.notes).toContain(`branches/1-add-table: its diff could not be read: git is missing object ${bigBlob}; the repository is a partial or damaged clone (git fetch --refetch, or clone it without --filter, to get every object); it was written without its diff`);
    const folders = (await readdir(path.join(out, 'branches'))).sort();
    expect(folders).toEqual(['1-add-table', '2-fix-readme', '3-wip']);
    expect(await readFile(path.join(out, 'branches/1-add-table/diff.patch'), 'utf8')).toBe('');
    expect(await readFile(path.join(out, 'branches/2-fix-readme/diff.patch'), 'utf8')).toContain('+Small gadgets.');
    // Tried again on the next run, when the object may be there.
    const entry = JSON.parse(await readFile(path.join(out, '.ingest-state.json'), 'utf8')).branches[`merge:${await repo.sha('master~1')}`];
    expect(entry).toMatchObject({ folder: '1-add-table', fingerprint: '' });
    // What was written builds.
    const build = await runBuild(['--content', out, '--content-only', '--cache', path.join(work, 'partial-cache')]);
    expect(build.code, build.stderr).toBe(0);
  });
});

describe('ingest from a shallow clone', () => {
  it('says how deep the history is, and closes no branch because its history is missing', async () => {
    const out = path.join(work, 'archive');
    const full = await ingest({ repo: repo.dir, out });
    expect(full.ok).toBe(true);
    const wip = path.join(out, 'branches/3-wip/branch.md');
    const before = await readFile(wip, 'utf8');
    expect(before).toMatch(/^state: open$/m);

    const shallow = path.join(work, 'shallow');
    await git('clone', '--quiet', '--depth', '1', `file://${repo.dir}`, shallow);
    const again = await ingest({ repo: shallow, out });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.summary.notes[0]).toBe('the repository is a shallow clone: only the last 1 commit of master is there, so merges before that are not ingested, and no branch already in the archive is closed or rewritten for lack of history. Run git fetch --unshallow for the whole history');
    expect(again.summary.retired).toBe(0);
    expect(await readFile(wip, 'utf8')).toBe(before);
    expect(await readFile(path.join(out, 'branches/1-add-table/diff.patch'), 'utf8')).toContain('+0,gadget 0,0');
  });
});

describe('an ingest that was killed', () => {
  it('leaves temporary folders that the next run removes', async () => {
    const out = path.join(work, 'killed');
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const leftovers = [`${out}.ingest-${deadPid}.tmp`, path.join(out, `branches/.9-half.${deadPid}.tmp`), path.join(out, `branches/2-fix-readme/.branch.md.${deadPid}.0.tmp`)];
    expect((await ingest({ repo: repo.dir, out })).ok).toBe(true);
    for (const leftover of leftovers) {
      await mkdir(path.dirname(leftover), { recursive: true });
      if (leftover.endsWith('.0.tmp')) await writeFile(leftover, 'half a file');
      else await mkdir(leftover);
    }
    // One of a run that is still going (this process) is not touched.
    const running = path.join(out, `branches/.8-going.${process.pid}.tmp`);
    await mkdir(running);
    const result = await ingest({ repo: repo.dir, out });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary.notes).toContain('removed 3 temporary files of an earlier ingest that was stopped');
    for (const leftover of leftovers) expect(existsSync(leftover), leftover).toBe(false);
    expect(existsSync(running)).toBe(true);
  });
});
