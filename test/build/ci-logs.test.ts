import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild } from '../support/run-build.ts';

const fixtures = 'test/fixtures/archives';

describe('an archive whose lane logs are out of bounds', () => {
  it('reports each bad log: path, the folder it leaves, a symlink out, a FIFO, a folder, one over the size limit, a damaged gzip, a missing file, and a non-http run url', async () => {
    const work = await tempDir('ra-bad-logs-');
    const content = path.join(work, 'content');
    await cp(path.join(fixtures, 'bad-log-paths'), content, { recursive: true });
    const ci = path.join(content, 'branches/7-greet-in-french');
    // A symlink inside the folder that points out of the archive (made here: git would keep it, but not every checkout does).
    await writeFile(path.join(work, 'secret.txt'), 'outside');
    await symlink(path.join(work, 'secret.txt'), path.join(ci, 'ci/escape.log'));
    // A FIFO would block a build that opened it as a file; a sparse 300 MB log is over the 256 MB limit without using the disk.
    execFileSync('mkfifo', [path.join(ci, 'ci/pipe.log')]);
    await writeFile(path.join(ci, 'ci/huge.log'), '');
    await truncate(path.join(ci, 'ci/huge.log'), 300 * 1024 ** 2);
    // A gzip log cut short, as an interrupted download leaves it.
    const gzipped = gzipSync(Array.from({ length: 5000 }, (_, i) => `test ${i} ok\n`).join(''));
    await writeFile(path.join(ci, 'ci/cut.log.gz'), gzipped.subarray(0, gzipped.length / 2));
    const yaml = await readFile(path.join(ci, 'ci.yaml'), 'utf8');
    await writeFile(
      path.join(ci, 'ci.yaml'),
      `${yaml}      - { name: symlink, status: failed, log: ci/escape.log }\n      - { name: fifo, status: failed, log: ci/pipe.log }\n      - { name: folder, status: failed, log: ci }\n      - { name: huge, status: failed, log: ci/huge.log }\n      - { name: cut, status: failed, log: ci/cut.log.gz }\n`,
    );
    const out = path.join(work, 'dist');
    const run = await runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);
    const file = path.relative(process.cwd(), path.join(ci, 'ci.yaml'));
    expect(run.stderr.trim().split('\n')).toEqual([
      'review-archive: the archive has 10 problems; nothing was written.',
      `  ${file}:6: runs[0].url: must be an http:// or https:// URL, not "javascript:alert(1)"`,
      `  ${file}:9: runs[0].lanes[1].log: "../../../archive.yaml" leaves its folder (..); logs must be inside the folder of the CI file`,
      `  ${file}:10: runs[0].lanes[2].log: "/etc/passwd" is an absolute path; write the path relative to the folder of the CI file, e.g. ci/169/check-fixture.log`,
      `  ${file}:11: runs[0].lanes[3].log: "ci/1/missing.log" does not exist (the path is relative to the folder of the CI file)`,
      `  ${file}:12: runs[0].lanes[4].retries: must be at least 0, not -1`,
      `  ${file}:13: runs[0].lanes[5].log: "ci/escape.log" is a symbolic link to a place outside the folder of the CI file, which is never read or published; copy the file into the folder of the CI file instead`,
      `  ${file}:14: runs[0].lanes[6].log: "ci/pipe.log" is a named pipe (FIFO), but a CI log must be a regular file`,
      `  ${file}:15: runs[0].lanes[7].log: "ci" is a folder, but a CI log must be a regular file`,
      `  ${file}:16: runs[0].lanes[8].log: "ci/huge.log" is 300 MB, more than the 256 MB a CI log may be (see "Size limits" in content/README.md)`,
      `  ${file}:17: runs[0].lanes[9].log: "ci/cut.log.gz" is not a readable gzip file (it ends before its compressed data does); store the log as plain text, or compress it again with gzip`,
    ]);
    // Nothing of the file outside reached the output.
    expect(run.stderr).not.toContain('outside\n');
    expect(run.code).toBe(1);
  });
});

describe('an archive with GitHub Actions and GitLab shaped logs', () => {
  let out: string;
  let ci: string;
  let work: string;
  let content: string;
  beforeAll(async () => {
    work = await tempDir('ra-ci-logs-');
    content = path.join(work, 'content');
    await cp(path.join(fixtures, 'ci-logs'), content, { recursive: true });
    // A long log, made here rather than stored: 12,000 lines with one failure in the middle.
    const branch = path.join(content, 'branches/7-greet-in-french');
    const long = Array.from({ length: 12_000 }, (_, i) => (i === 6000 ? 'error: the middle of a long log failed' : `\x1b[32mstep ${i + 1}\x1b[0m`));
    await mkdir(path.join(branch, 'ci/2'), { recursive: true });
    await writeFile(path.join(branch, 'ci/2/long.log'), `${long.join('\n')}\n`);
    const yaml = await readFile(path.join(branch, 'ci.yaml'), 'utf8');
    await writeFile(path.join(branch, 'ci.yaml'), `${yaml}      - { name: long, status: success, log: ci/2/long.log }\n`);
    out = path.join(work, 'dist');
    const run = await runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    ci = await readFile(path.join(out, 'branch/7/ci/index.html'), 'utf8');
  }, 300_000);

  it('lists every run newest first, each lane with its anchor; failed lanes start open', () => {
    expect(ci.indexOf('id="run-2"')).toBeLessThan(ci.indexOf('id="run-1"'));
    expect(ci).toMatch(/<details class="lane-details" id="run-1-check-types" open>/);
    expect(ci).toMatch(/<details class="lane-details" id="run-1-lint">/);
    expect(ci).toContain('No log was archived for this lane.');
    expect(ci).toContain('href="https://ci.example/greeter/runs/1"');
    expect(ci).toContain('<code>npx tsc --noEmit</code>');
  });

  it("shows GitHub's groups, timestamps, the tsc error and the exit line, with the error list linking to them", () => {
    expect(ci).toContain('<span class="l e"><a id=run-1-check-types-L19 href=#run-1-check-types-L19>19</a><time>10:01:23</time><span class="k">Error:</span> Process completed with exit code 2.</span>');
    expect(ci).toMatch(/<li><a href="#run-1-check-types-L12">line 12<\/a> <code>src\/greet\.ts:4:3 - error TS2322: Type &#39;number&#39; is not assignable to type &#39;string&#39;\.<\/code><\/li>/);
    expect(ci).toContain('<details class="ls" open><summary><span class="l"><span class="n" id=run-1-check-types-L10>');
  });

  it('reads the gzip GitLab log: collapsed sections folded with their durations, ERROR: and the traceback found', () => {
    expect(ci).toContain('<details class="ls"><summary><span class="l"><span class="n" id=run-1-pytest-L2>');
    expect(ci).toContain('<span class="du">2s</span>');
    expect(ci).toContain('<span class="du">12s</span>');
    expect(ci).toMatch(/3 errors<\/p>/);
    expect(ci).toContain('href="#run-1-pytest-L17">line 17</a> <code>ERROR: Job failed: exit code 1</code>');
  });

  it('escapes the log and keeps only the http(s) link', () => {
    expect(ci).toContain('&lt;script&gt;alert(&quot;log&quot;)&lt;/script&gt;');
    expect(ci).not.toContain('javascript:');
    expect(ci).toContain('<a href="https://ci.example/run/1" rel="nofollow noopener noreferrer">the run</a>');
  });

  it('cuts the long log on the page and publishes it whole beside the page', async () => {
    expect(ci).toContain('Showing 2,507 of 12,000 lines');
    expect(ci).toContain('id=run-2-long-L6001 ');
    expect(ci).not.toContain('id=run-2-long-L5000 ');
    const whole = await readFile(path.join(out, 'branch/7/ci/2/long.txt'), 'utf8');
    expect(whole.split('\n')).toHaveLength(12_001);
    expect(whole).toContain('step 5000\n');
    expect(ci).toContain('<a href="2/long.txt">Read the whole log (plain text)</a>');
  });

  it('links the branch panel to the CI page: both "Open CI details" links, each lane chip, the first errors', async () => {
    const page = await readFile(path.join(out, 'branch/7/index.html'), 'utf8');
    expect(page.match(/href="\/branch\/7\/ci\/">Open CI details</g)).toHaveLength(2);
    expect(page).toContain('href="/branch/7/ci/#run-2-check-types"');
  });

  it('gives a nightly job its page with its logs, linked from the feed', async () => {
    const nightly = await readFile(path.join(out, 'nightly/replay/index.html'), 'utf8');
    expect(nightly).toContain('id=run-50-replay-L2 ');
    expect(nightly).toContain('replayed 86400 readings');
    const feed = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(feed).toContain('href="/nightly/replay/"');
  });

  it('publishes a whole log as it was after its file in the site was changed in place (a hard link of the cache\'s own)', async () => {
    const whole = path.join(out, 'branch/7/ci/2/long.txt');
    const text = await readFile(whole, 'utf8');
    // In place: the same file, so every hard link of it sees the change.
    await writeFile(whole, 'edited by hand after the build\n');
    const again = path.join(work, 'dist-again');
    const run = await runBuild(['--content', content, '--out', again, '--cache', path.join(work, 'cache')]);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(again, 'branch/7/ci/2/long.txt'), 'utf8')).toBe(text);
  }, 300_000);

  it("renders a branch again when a log's HTML kept for its CI page was changed in place at the same size, and publishes the page as it was", async () => {
    // The site data links the log cache's entry (its sealed facts, then the HTML): one file, two names.
    const entry = path.join(work, 'cache/data/ci/7/run-2-long.entry');
    const before = await stat(entry);
    const bytes = await readFile(entry);
    const at = bytes.indexOf('step 3<', bytes.indexOf(0x0a));
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'S'.charCodeAt(0);
    await writeFile(entry, bytes);
    await utimes(entry, before.atime, before.mtime);
    expect((await stat(entry)).ino).toBe(before.ino);
    const again = path.join(work, 'dist-relinked');
    const run = await runBuild(['--content', content, '--out', again, '--cache', path.join(work, 'cache')]);
    expect(run.code).toBe(0);
    const notes = run.stderr.trim().split('\n');
    expect(notes[0]).toBe("review-archive: note: the cache's data/ci/7/run-2-long.entry was damaged (its bytes no longer match the hash written with them); branch 7 was rendered again");
    // The same bytes are the log cache's entry, which is rendered again too.
    expect(notes[1]).toMatch(/^review-archive: note: the cache's logs\/[0-9a-f]{2}\/[0-9a-f]+\.entry was damaged \(its bytes no longer match the hash written with them\); it was rendered again$/);
    expect(await readFile(path.join(again, 'branch/7/ci/index.html'), 'utf8')).toBe(ci);
  }, 300_000);
});
