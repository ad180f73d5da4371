import { describe, expect, it } from 'vitest';
import { NewUsageError, parseNewArgs } from '../../../scripts/author/new-args.ts';
import { branchFolderName, nextBranchId, patchHeaderFacts, summaryFromCommits } from '../../../scripts/author/new-branch.ts';

function usageError(argv: string[]): string {
  try {
    parseNewArgs(argv);
  } catch (error) {
    if (error instanceof NewUsageError) return error.message.split('\n')[0]!;
    throw error;
  }
  throw new Error('no error');
}

describe('npm run new arguments', () => {
  it('reads a step: branch and title, in the default archive or --content', () => {
    expect(parseNewArgs(['step', '101', 'Check the checksum'])).toEqual({ kind: 'step', contentDir: 'content', branch: '101', title: 'Check the checksum' });
    expect(parseNewArgs(['step', '--content', '../reviews', '7-fix', ' Fix '])).toMatchObject({ contentDir: '../reviews', branch: '7-fix', title: 'Fix' });
  });

  it('reads a branch from a diff file or from git', () => {
    expect(parseNewArgs(['branch', '--diff', 'x.patch', '--title', 'T'])).toEqual({ kind: 'branch', contentDir: 'content', source: { diff: 'x.patch' }, title: 'T', name: undefined, id: undefined });
    expect(parseNewArgs(['branch', '--repo', '.', '--base', 'main', '--head', 'feature', '--id', '42'])).toMatchObject({ source: { repo: '.', base: 'main', head: 'feature' }, id: 42 });
  });

  it('says what is wrong with bad arguments', () => {
    expect(usageError([])).toBe('review-archive new: say what to create: step or branch');
    expect(usageError(['page'])).toBe('review-archive new: unknown kind "page": step or branch');
    expect(usageError(['step', '101'])).toBe('review-archive new: new step takes a branch and a title, e.g. npm run new -- step 101 "Check the checksum" (got 1 argument)');
    expect(usageError(['step', '101', '  '])).toBe('review-archive new: the step title is empty');
    expect(usageError(['step', '101', 'T', '--diff', 'x'])).toBe('review-archive new: --diff is for new branch, not new step');
    expect(usageError(['branch'])).toBe('review-archive new: new branch needs --diff FILE, or --repo PATH --base A --head B');
    expect(usageError(['branch', '--repo', '.', '--head', 'x'])).toBe('review-archive new: --repo, --base and --head go together (missing: --base)');
    expect(usageError(['branch', '--diff', 'x', '--repo', '.'])).toBe('review-archive new: give either --diff FILE or --repo PATH --base A --head B, not both');
    expect(usageError(['branch', '--diff', 'x', '--id', '0'])).toBe('review-archive new: --id must be a positive whole number, not "0"');
    expect(usageError(['step', '1', 'T', '--colour'])).toBe('review-archive new: unknown option --colour');
    expect(usageError(['step', '1', 'T', '--content'])).toBe("review-archive new: Option '--content <value>' argument missing");
  });
});

describe('new branch facts', () => {
  it('takes the id after the highest, and names the folder as ingest does', () => {
    expect(nextBranchId([])).toBe(1);
    expect(nextBranchId([101, 7, 250])).toBe(251);
    expect(branchFolderName(12, 'feature/Search box')).toBe('12-feature-search-box');
  });

  it('reads the commit, author and subject of a git format-patch file, and nothing from a plain diff', () => {
    const mbox = 'From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\nFrom: "Kim Park" <kim@example.org>\nDate: Mon, 5 Oct 2026 11:30:00 +0000\nSubject: [PATCH 1/2] gauge: verify checksums\n\n---\ndiff --git a/a b/a\n';
    expect(patchHeaderFacts(mbox)).toEqual({ head: '1234567890abcdef1234567890abcdef12345678', author: 'Kim Park', subject: 'gauge: verify checksums' });
    expect(patchHeaderFacts('diff --git a/a b/a\n--- a/a\n+++ b/a\n')).toEqual({});
  });

  it('summarises a branch by its head commit description and its commits', () => {
    expect(summaryFromCommits('Subject\n\nWhy it changed.', ['Subject'])).toBe('Why it changed.');
    expect(summaryFromCommits('Last', ['First', 'Last'])).toBe('Commits, oldest first:\n\n- First\n- Last');
  });
});
