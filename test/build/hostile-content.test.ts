import { cp, mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';

const fixtures = 'test/fixtures/archives';

/** Builds a fixture over a previous site and returns what the user sees. */
async function buildOverPreviousSite(content: string) {
  const work = await tempDir('ra-hostile-');
  const out = path.join(work, 'dist');
  await mkdir(out);
  await writeFile(path.join(out, 'index.html'), '<p>the previous site</p>');
  // The marker every site the build writes carries: without it, the build would not touch the folder.
  await writeFile(path.join(out, '.review-archive-site'), 'site\n');
  const run = await runBuild(['--content', content, '--out', out, '--cache', path.join(work, 'cache')]);
  return { ...run, lines: run.stderr.trim().split('\n'), out };
}

const at = (fixture: string, file: string) => `${fixtures}/${fixture}/${file}`;
const ALIAS_BOMB = 'YAML aliases expand to too much data (more than 100 copies of anchored values, as in an alias bomb); write the values out instead';

describe('hostile and broken content', () => {
  it.each([
    [
      'hostile-yaml',
      [
        `${at('hostile-yaml', 'archive.yaml')}:5:8: ${ALIAS_BOMB}`,
        `${at('hostile-yaml', 'branches/7-greet-in-french/branch.md')}:13:1: YAML syntax error: Missing closing "quote`,
        `${at('hostile-yaml', 'branches/7-greet-in-french/ci.yaml')}:3:8: ${ALIAS_BOMB}`,
        `${at('hostile-yaml', 'branches/7-greet-in-french/steps/01-duplicate-key.md')}:4:1: YAML key "title" appears twice in the same mapping; each key may appear once`,
        `${at('hostile-yaml', 'branches/7-greet-in-french/steps/02-js-function.md')}:2:8: YAML tag !!js/function is not allowed: the archive format has plain values only (quote the value if it is text)`,
        `${at('hostile-yaml', 'branches/7-greet-in-french/steps/03-unclosed.md')}:1: front matter is not closed: end it with a line that holds only "---", before the markdown`,
        `${at('hostile-yaml', 'branches/9-bomb-in-front-matter/branch.md')}:14:8: ${ALIAS_BOMB}`,
      ],
    ],
    [
      'every-problem',
      [
        `${at('every-problem', 'branches/7-greet-in-french/branch.md')}:5: state: must be one of open, merged, closed, not "shipped"`,
        `${at('every-problem', 'branches/7-greet-in-french/steps/01-choose-the-greeting.md')}:9: evidence[1]: file "src/greeting.ts" is not in the diff (files: src/greet.ts, src/shapes.py)`,
        `${at('every-problem', 'branches/7-greet-in-french/steps/01-choose-the-greeting.md')}:11: evidence[2]: hunk "@@ -40,3 +40,4 @@ export function farewell" is not in src/greet.ts (its hunks: @@ -1,8 +1,10 @@)`,
        `${at('every-problem', 'branches/8-broken-diff/branch.md')}:12: tutorial: must be one of ready, pending, failed, none, not "later"`,
        `${at('every-problem', 'branches/8-broken-diff/diff.patch')}:23: hunk @@ -1,2 +1,5 @@ declares 2 old and 5 new lines but has 2 and 3`,
      ],
    ],
    [
      'terminal-escapes',
      [
        `${at('terminal-escapes', 'branches/7-greet-in-french/branch.md')}:5: state: must be one of open, merged, closed, not "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mmerged"`,
        `${at('terminal-escapes', 'branches/7-greet-in-french/steps/01-choose-the-greeting.md')}:5: evidence[0]: file "src/\\x1b[2Jgreet.ts\\u202e" is not in the diff (files: src/greet.ts, src/shapes.py)`,
      ],
    ],
    [
      'unsafe-urls',
      [
        `${at('unsafe-urls', 'archive.yaml')}:3: url: must be an absolute http:// or https:// URL, not "javascript:alert(1)"`,
        `${at('unsafe-urls', 'archive.yaml')}:4: commit_url: must be an absolute http:// or https:// URL (with {sha} in it)`,
        `${at('unsafe-urls', 'archive.yaml')}:5: file_url: must be an absolute http:// or https:// URL (with {path} in it)`,
      ],
    ],
  ])('%s: every problem named with file and line, no stack trace, exit 1, the old site kept', async (fixture, expected) => {
    const { code, lines, stderr, out } = await buildOverPreviousSite(path.join(fixtures, fixture));
    expect(lines).toEqual([`review-archive: the archive has ${expected.length} problems; nothing was written.`, ...expected.map((line) => `  ${line}`)]);
    expect(code).toBe(1);
    // Not one byte a terminal would act on, and nothing from a stack.
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect((await readdir(out)).sort()).toEqual(['.review-archive-site', 'index.html']);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>the previous site</p>');
  });

  it('builds an archive saved with Windows line endings and byte order marks exactly like the original', async () => {
    const work = await tempDir('ra-crlf-');
    const crlf = path.join(work, 'content');
    await cp(path.join(fixtures, 'good'), crlf, { recursive: true });
    const files = (await readdir(crlf, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && /\.(md|yaml)$/.test(e.name));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const entry of files) {
      const file = path.join(entry.parentPath, entry.name);
      await writeFile(file, `\ufeff${(await readFile(file, 'utf8')).replaceAll('\n', '\r\n')}`);
    }
    const build = (content: string, cache: string) => runBuild(['--content', content, '--content-only', '--cache', cache]);
    const [lf, windows] = await Promise.all([build(path.join(fixtures, 'good'), path.join(work, 'lf-cache')), build(crlf, path.join(work, 'crlf-cache'))]);
    expect(windows.stderr).toBe('');
    expect(windows.code).toBe(0);
    expect(lf.code).toBe(0);
    for (const id of [7, 8]) {
      const read = (cache: string) => readFile(path.join(work, cache, 'data/branches', `${id}.json`), 'utf8');
      expect(await read('crlf-cache')).toBe(await read('lf-cache'));
    }
  });

  it('builds a C# diff and a csharp fence that stall Shiki in bounded time, their lines plain with a note', async () => {
    const work = await tempDir('ra-slow-');
    const started = performance.now();
    const run = await runBuild(['--content', path.join(fixtures, 'slow-highlighting'), '--content-only', '--cache', path.join(work, 'cache')]);
    const seconds = (performance.now() - started) / 1000;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Without the budgets this build ran for minutes (a 2,000-character line alone took 73 s).
    expect(seconds).toBeLessThan(45);
    const branch = JSON.parse(await readFile(path.join(work, 'cache/data/branches/12.json'), 'utf8'));
    // How many of the 14 lines are given up depends on the machine; that some are, does not.
    expect(branch.diff.files[0].notes).toEqual([expect.stringMatching(/^Shown without highlighting: \d+ lines? (is|are) too slow for the highlighter's time budget\.$/)]);
    expect(branch.summaryHtml).toContain('<p class="code-block-warning" role="note">Shown without highlighting:');
  }, 120_000);

  it('marks bidirectional controls in diff lines, evidence and code blocks, with a warning on the file', async () => {
    const work = await tempDir('ra-trojan-');
    const run = await runBuild(['--content', path.join(fixtures, 'trojan-source'), '--content-only', '--cache', path.join(work, 'cache')]);
    expect(run.code).toBe(0);
    const branch = JSON.parse(await readFile(path.join(work, 'cache/data/branches/21.json'), 'utf8'));
    const file = branch.diff.files[0];
    expect(file.notes).toEqual(['This file contains bidirectional Unicode characters, which can make text read differently from what a compiler sees. Each is shown as a label such as U+202E.']);
    const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    for (const html of [file.hunks[0].html, branch.steps[0].evidence[0].html, branch.summaryHtml]) {
      expect(html).not.toMatch(bidi);
      expect(html).toContain('<span class=invisible-char>U+202E</span>');
    }
    expect(branch.summaryHtml).toContain('This code block contains bidirectional Unicode characters');
  }, 120_000);

  it('refuses a 100 MB diff.patch with its size and the limit, without reading it', async () => {
    const work = await tempDir('ra-huge-');
    const content = path.join(work, 'content');
    await cp(path.join(fixtures, 'good'), content, { recursive: true });
    const patch = path.join(content, 'branches/7-greet-in-french/diff.patch');
    // Sparse: 100 MB to stat, nothing on disk; reading it would take the build's whole heap.
    await truncate(patch, 100 * 1024 * 1024);
    const { code, lines, out } = await buildOverPreviousSite(content);
    expect(lines).toEqual([
      'review-archive: the archive has 1 problem; nothing was written.',
      `  ${path.relative(process.cwd(), patch)}: is 100 MB, more than the 20 MB diff.patch may be (see "Size limits" in content/README.md)`,
    ]);
    expect(code).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['.review-archive-site', 'index.html']);
  });
});
