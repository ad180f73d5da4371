import { access, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, createRepo, type TestRepo } from '../support/git-repo.ts';
import { runBuild, runScript } from '../support/run-build.ts';

const exportsDir = 'test/fixtures/pika/exports';
const lunar = `${exportsDir}/lunar-cycle`;

/** `npm run import -- <args>` as a user runs it: exit code, stdout and stderr. */
function runImport(args: string[]) {
  return runScript('scripts/import/import.ts', args);
}

const exists = (file: string) => access(file).then(() => true, () => false);
/** The page's text without tags and with single spaces, for reading facts in order. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ra-pika-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('importing pika-git exports and building their pages', () => {
  let out: string;
  let page: string;
  let openPage: string;

  beforeAll(async () => {
    out = path.join(work, 'content');
    const run = await runImport(['pika', exportsDir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`review-archive: imported 2 pika-git branches into ${out} (2 written, 0 unchanged)\n`);
    const site = path.join(work, 'site');
    const build = await runBuild(['--content', out, '--out', site, '--cache', path.join(work, 'cache')]);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    page = await readFile(path.join(site, 'branch/318/index.html'), 'utf8');
    openPage = await readFile(path.join(site, 'branch/321/index.html'), 'utf8');
  });

  it('writes one folder per export, named by pika-git\'s branch id, and archive.yaml from its repo', async () => {
    expect(await readdir(path.join(out, 'branches'))).toEqual(['318-lunar-cycle', '321-units-fathoms']);
    expect(await readFile(path.join(out, 'archive.yaml'), 'utf8')).toBe('repo: wrenworks/tide-clock\ntitle: tide-clock reviews\n');
  });

  it('shows the CI panel as pika-git did: latest run, its re-run link, lanes and timings, the earlier run', () => {
    const text = textOf(page);
    expect(text).toMatch(/Latest run #5202 success re-run of #5201 3 passed 0 failed head f0646a05e82c02679476d1b863f21e7822a2ff45 queued 2026-02-03 09:40 UTC 3 lanes queued 4s ran 3m 1s/);
    expect(text).toMatch(/lint: success unit tests: success tide tables: success/);
    expect(text).toMatch(/Earlier runs \(1\) Run #5201 failed 1 passed 1 failed 1 skipped .* queued 15s ran 4m lint: success unit tests: failed tide tables: skipped/);
  });

  it('shows the branch facts, the executive summary and the media links', () => {
    const text = textOf(page);
    for (const fact of ['Follow the lunar day for high tides', 'lunar-cycle', '9e1f5c0b7a2d4e6f8091a2b3c4d5e6f708192a3b', 'Tides at Port Wren follow the lunar day']) expect(text).toContain(fact);
    expect(page).toContain('href="https://example.org/tide-clock/lunar-clock.png"');
    expect(page).toContain('Sketch of the lunar clock');
    expect(page).toContain('href="https://example.org/tide-clock/demo.mp4"');
  });

  it('shows the steps in order with their intent, files and body', () => {
    const text = textOf(page);
    const titles = ['Put the high-tide clock on the lunar day', 'Round heights for display', 'Document the lunar day'];
    const positions = titles.map((title) => text.indexOf(title));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('High tides come every half lunar day');
    expect(text).toContain('the new one stays within minutes of the published tables');
  });

  it('shows every evidence hunk, each with the file it was found in', () => {
    const captions = [...page.matchAll(/<figcaption class="evidence-caption">([\s\S]*?)<\/figcaption>/g)].map((m) => textOf(m[1]!).trim());
    expect(captions).toEqual([
      'src/tides.py @@ -1,13 +1,14 @@',
      'src/units.py @@ -1,6 +1,7 @@',
      'src/units.py @@ -8,4 +9,4 @@ def metres(value):',
      'docs/harbours.md @@ -1,3 +1,5 @@',
    ]);
  });

  it('shows an open export without CI, its tutorial still pending', () => {
    const text = textOf(openPage);
    expect(text).toContain('Add fathoms for the sailing club');
    expect(text).toContain('No CI runs · tutorial being written');
    expect(text).toMatch(/pending/i);
  });

  it('writes the same folder from the single-export options as from the folder', async () => {
    const single = path.join(work, 'single');
    const run = await runImport(['pika', '--branch', `${lunar}/branch.json`, '--tutorial', `${lunar}/tutorial.json`, '--ci', `${lunar}/ci.json`, '--diff', `${lunar}/diff.patch`, '--out', single]);
    expect(run.code).toBe(0);
    for (const file of ['branch.md', 'ci.yaml', 'diff.patch', 'steps/03-document-the-lunar-day.md']) {
      expect(await readFile(path.join(single, 'branches/318-lunar-cycle', file), 'utf8')).toBe(await readFile(path.join(out, 'branches/318-lunar-cycle', file), 'utf8'));
    }
  });

  it('changes nothing when the same exports are imported again', async () => {
    const run = await runImport(['pika', exportsDir, '--out', out]);
    expect(run.stdout).toContain('(0 written, 2 unchanged)');
  });

  it('brings a folder to what a newer export holds: a dropped step and its CI go, untouched files keep their time', async () => {
    const archive = path.join(work, 'newer');
    await cp(out, archive, { recursive: true });
    const newer = path.join(work, 'newer-export');
    await cp(lunar, newer, { recursive: true });
    const tutorial = JSON.parse(await readFile(path.join(newer, 'tutorial.json'), 'utf8'));
    tutorial.steps.pop();
    await writeFile(path.join(newer, 'tutorial.json'), JSON.stringify(tutorial));
    await rm(path.join(newer, 'ci.json'));
    const folder = path.join(archive, 'branches/318-lunar-cycle');
    const before = (await stat(path.join(folder, 'diff.patch'))).mtimeMs;
    const run = await runImport(['pika', newer, '--out', archive]);
    expect(run.stdout).toContain('(1 written, 0 unchanged)');
    const files = (await readdir(folder, { recursive: true })).sort();
    expect(files).toEqual(['branch.md', 'diff.patch', 'steps', 'steps/01-put-the-high-tide-clock-on-the-lunar-day.md', 'steps/02-round-heights-for-display.md']);
    expect((await stat(path.join(folder, 'diff.patch'))).mtimeMs).toBe(before);
  });
});

describe('importing with the diff read from the repository', () => {
  let repo: TestRepo;
  let exportDir: string;
  let base: string;
  let head: string;

  beforeAll(async () => {
    repo = await createRepo('tide-clock');
    await repo.write({ 'tides.txt': 'high 06:00\nlow 12:10\nhigh 18:25\n' });
    base = await repo.commit('Tide table');
    await repo.switchTo('evening');
    await repo.write({ 'tides.txt': 'high 06:00\nlow 12:10\nhigh 18:25\nlow 00:37\n' });
    head = await repo.commit('Add the night low tide', BOB);
    exportDir = path.join(work, 'from-repo');
    await cp(`${exportsDir}/fathoms`, exportDir, { recursive: true });
    await rm(path.join(exportDir, 'diff.patch'));
    const branch = JSON.parse(await readFile(path.join(exportDir, 'branch.json'), 'utf8'));
    await writeFile(path.join(exportDir, 'branch.json'), JSON.stringify({ ...branch, branch_id: 400, head_sha: head, base_sha: base }, null, 2));
    await writeFile(
      path.join(exportDir, 'tutorial.json'),
      JSON.stringify({ executive_summary: 'The night tide.', media_links: [], steps: [{ title: 'Add the low tide', intent: 'Nights too.', affected_files: ['tides.txt'], evidence_snippets: ['@@ -1,3 +1,4 @@'], body_markdown: '' }] }),
    );
  });

  afterAll(async () => {
    await repo.remove();
  });

  it('takes the diff between the export\'s shas and the author of its head', async () => {
    const out = path.join(work, 'repo-content');
    const run = await runImport(['pika', exportDir, '--repo', repo.dir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const folder = path.join(out, 'branches/400-units-fathoms');
    expect(await readFile(path.join(folder, 'diff.patch'), 'utf8')).toBe(await repo.git('diff', base, head));
    expect(await readFile(path.join(folder, 'branch.md'), 'utf8')).toContain('author: Bob Example');
    expect(await readFile(path.join(folder, 'steps/01-add-the-low-tide.md'), 'utf8')).toContain('file: tides.txt');
    const build = await runBuild(['--content', out, '--content-only', '--cache', path.join(work, 'repo-cache')]);
    expect(build.code).toBe(0);
  });

  it('names a sha the repository does not have, and writes nothing', async () => {
    const broken = path.join(work, 'missing-sha');
    await cp(exportDir, broken, { recursive: true });
    const branch = JSON.parse(await readFile(path.join(broken, 'branch.json'), 'utf8'));
    await writeFile(path.join(broken, 'branch.json'), JSON.stringify({ ...branch, head_sha: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef' }, null, 2));
    const out = path.join(work, 'missing-sha-content');
    const run = await runImport(['pika', broken, '--repo', repo.dir, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/missing-sha\/branch\.json:9: head_sha: commit deadbeefdeadbeefdeadbeefdeadbeefdeadbeef is not in .*tide-clock/);
    expect(await exists(out)).toBe(false);
  });
});

describe('refusing a malformed export', () => {
  /** A copy of the lunar-cycle export with one file replaced, imported into a fresh folder. */
  async function importBroken(name: string, file: string, text: string, extra: string[] = []) {
    const dir = path.join(work, name);
    await cp(lunar, dir, { recursive: true });
    await writeFile(path.join(dir, file), text);
    const out = path.join(work, `${name}-content`);
    const run = await runImport(['pika', dir, '--out', out, ...extra]);
    return { run, out, dir };
  }

  it('points at the line of a JSON syntax error', async () => {
    const { run, out } = await importBroken('bad-json', 'ci.json', '{\n  "runs": [\n    { "id": 1, }\n  ]\n}\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^review-archive: cannot import; nothing was written\.\n {2}.*bad-json\/ci\.json:3: is not valid JSON: /);
    expect(await exists(out)).toBe(false);
  });

  it('names a missing field and a value it cannot map', async () => {
    const branch = JSON.parse(await readFile(`${lunar}/branch.json`, 'utf8'));
    delete branch.head_sha;
    branch.tutorial_status = 'lost';
    const { run } = await importBroken('bad-fields', 'branch.json', JSON.stringify(branch, null, 2));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad-fields\/branch\.json:1: head_sha: is required/);
    expect(run.stderr).toMatch(/bad-fields\/branch\.json:\d+: tutorial_status: must be one of ready, done, .*, not "lost"/);
  });

  it('names an evidence hunk that is not in the diff, by step and snippet', async () => {
    const tutorial = JSON.parse(await readFile(`${lunar}/tutorial.json`, 'utf8'));
    tutorial.steps[1].evidence_snippets[1] = '@@ -80,4 +80,4 @@';
    const { run } = await importBroken('bad-evidence', 'tutorial.json', JSON.stringify(tutorial, null, 2));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad-evidence\/tutorial\.json:\d+: steps\[1\]\.evidence_snippets\[1\]: hunk @@ -80,4 \+80,4 @@ is in no file of the diff \(the step's files: src\/units\.py\)/);
  });

  it('refuses a branch id that another branch of the archive already has', async () => {
    const out = path.join(work, 'taken');
    expect((await runImport(['pika', `${exportsDir}/fathoms`, '--out', out])).code).toBe(0);
    const branch = JSON.parse(await readFile(`${lunar}/branch.json`, 'utf8'));
    const dir = path.join(work, 'same-id');
    await cp(lunar, dir, { recursive: true });
    await writeFile(path.join(dir, 'branch.json'), JSON.stringify({ ...branch, branch_id: 321 }));
    const run = await runImport(['pika', dir, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('branch_id: 321 is already used by');
    expect(await readdir(path.join(out, 'branches'))).toEqual(['321-units-fathoms']);
  });

  it('asks for a diff when an export has none and no repository is given', async () => {
    const dir = path.join(work, 'no-diff');
    await cp(lunar, dir, { recursive: true });
    await rm(path.join(dir, 'diff.patch'));
    const run = await runImport(['pika', dir, '--out', path.join(work, 'no-diff-content')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no-diff/branch.json: has no diff: pass --diff FILE, put diff.patch beside branch.json, or pass --repo PATH');
  });
});
