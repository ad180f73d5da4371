import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runBuild } from '../support/run-build.ts';

const fixtures = 'test/fixtures/archives';

/** Builds a broken fixture into an output folder that already holds a site, and returns what the user sees. */
async function buildBroken(fixture: string) {
  const work = await tempDir(`ra-${fixture}-`);
  const out = path.join(work, 'dist');
  await mkdir(out);
  await writeFile(path.join(out, 'index.html'), '<p>the previous site</p>');
  // The marker every site the build writes carries: without it, the build would not touch the folder.
  await writeFile(path.join(out, '.review-archive-site'), 'site\n');
  const run = await runBuild(['--content', path.join(fixtures, fixture), '--out', out, '--cache', path.join(work, 'cache')]);
  const lines = run.stderr.trim().split('\n');
  return { ...run, lines, out };
}

const branch = (fixture: string, file: string) => `${fixtures}/${fixture}/branches/7-greet-in-french/${file}`;

describe('a broken archive', () => {
  it.each([
    [
      'duplicate-ids',
      [`${fixtures}/duplicate-ids/branches/7-greet-in-french/branch.md:2: id: 7 is already used by ${fixtures}/duplicate-ids/branches/7-greet-again/branch.md; branch ids must be unique`],
    ],
    [
      'unknown-status',
      [
        `${branch('unknown-status', 'branch.md')}:5: state: must be one of open, merged, closed, not "shipped"`,
        `${branch('unknown-status', 'branch.md')}:12: tutorial: must be one of ready, pending, failed, none, not "maybe"`,
        `${branch('unknown-status', 'ci.yaml')}:10: runs[0].lanes[1].status: must be one of success, failed, running, queued, cancelled, skipped, not "red"`,
      ],
    ],
    [
      'bad-date',
      [
        `${branch('bad-date', 'branch.md')}:11: updated: must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z, not "last tuesday"`,
        `${branch('bad-date', 'ci.yaml')}:5: runs[0].queued_at: must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z, not "2026-10-01 10:01"`,
      ],
    ],
    [
      'missing-diff',
      [`${branch('missing-diff', 'diff.patch')}: is missing: every branch folder needs the branch's unified diff as diff.patch (git diff -M base head > diff.patch)`],
    ],
    ['malformed-patch', [`${branch('malformed-patch', 'diff.patch')}:23: hunk @@ -1,2 +1,5 @@ declares 2 old and 5 new lines but has 2 and 3`]],
    [
      'evidence-not-in-diff',
      [
        `${branch('evidence-not-in-diff', 'steps/01-choose-the-greeting.md')}:9: evidence[1]: file "src/greeting.ts" is not in the diff (files: src/greet.ts, src/shapes.py)`,
        `${branch('evidence-not-in-diff', 'steps/01-choose-the-greeting.md')}:11: evidence[2]: hunk "@@ -40,3 +40,4 @@ export function farewell" is not in src/greet.ts (its hunks: @@ -1,8 +1,10 @@)`,
      ],
    ],
    [
      'bad-discussion',
      [
        `${fixtures}/bad-discussion/authors.yaml:3: ana.url: must be an http:// or https:// address, not "javascript:alert(1)"`,
        `${branch('bad-discussion', 'discussion.yaml')}:3: reviews[0].state: must be one of approved, changes_requested, commented, dismissed, not "lgtm"`,
        `${branch('bad-discussion', 'discussion.yaml')}:7: comments[0].at: must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z, not "2026-10-01 09:30"`,
        `${branch('bad-discussion', 'discussion.yaml')}:10: threads[0].file: "src/greeting.ts" is not in the diff (files: src/greet.ts, src/shapes.py); a thread on a file no longer in the diff needs outdated: true and its hunk`,
        `${branch('bad-discussion', 'discussion.yaml')}:17: threads[1].line: old line 12 is not in any hunk: the hunks of src/greet.ts cover old lines 1-8 (set outdated: true and add its hunk if the line has gone)`,
        `${branch('bad-discussion', 'discussion.yaml')}:20: threads[2].hunk: is required when outdated is true: the hunk the comment was made on, from its "@@" header on`,
        `${branch('bad-discussion', 'discussion.yaml')}:29: threads[3].comments: must list at least one comment (a thread is its comments)`,
      ],
    ],
  ])('%s: reports every problem with file, line and field, exits 1 and leaves the old site', async (fixture, expected) => {
    const { code, lines, out } = await buildBroken(fixture);
    const noun = expected.length === 1 ? 'problem' : 'problems';
    expect(lines).toEqual([`review-archive: the archive has ${expected.length} ${noun}; nothing was written.`, ...expected.map((line) => `  ${line}`)]);
    expect(code).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['.review-archive-site', 'index.html']);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>the previous site</p>');
  });

  it('names a missing archive.yaml and branches folder together', async () => {
    const empty = await tempDir('ra-empty-');
    const work = await tempDir('ra-empty-work-');
    const { code, stderr } = await runBuild(['--content', empty, '--out', path.join(work, 'dist'), '--cache', path.join(work, 'cache')]);
    expect(code).toBe(1);
    expect(stderr).toContain('archive.yaml: is missing: an archive needs archive.yaml with at least repo and title');
    expect(stderr).toContain('branches: is missing: put one folder per branch in branches/, named <id>-<name>');
  });
});
