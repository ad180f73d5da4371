/**
 * What `npm run new -- branch` writes: `branch.md` and `diff.patch` of a new branch folder, from a
 * diff file or from two commits of a repository. Pure functions over what new.ts read; the
 * branch.md text is ingest's own (formatBranchFile), so a folder made here reads like one ingest
 * made.
 */
import type { BranchFrontMatter } from '../schema/branch.ts';
import { formatBranchFile } from '../ingest/archive-files.ts';
import { slugify } from '../render/html.ts';

/** git's null sha: what a diff file alone cannot say (its base and head commits), for the author to replace. */
export const UNKNOWN_SHA = '0'.repeat(40);

/** The id after the highest in the archive; 1 for an empty one. */
export function nextBranchId(existingIds: Iterable<number>): number {
  let highest = 0;
  for (const id of existingIds) highest = Math.max(highest, id);
  return highest + 1;
}

/** `<id>-<name slug>`, as ingest names folders. */
export function branchFolderName(id: number, name: string): string {
  return `${id}-${slugify(name).slice(0, 60).replace(/-+$/, '') || 'branch'}`;
}

/** What a `git format-patch` file says of itself: the commit, its author and subject. Empty for a plain `git diff`. */
export function patchHeaderFacts(patchText: string): { head?: string; author?: string; subject?: string } {
  const header = patchText.slice(0, Math.max(0, patchText.indexOf('\ndiff --git ')) || patchText.length).split('\n', 200);
  const facts: { head?: string; author?: string; subject?: string } = {};
  const from = /^From ([0-9a-f]{40}) /.exec(header[0] ?? '');
  if (from) facts.head = from[1];
  for (const line of header) {
    const author = /^From: (.+?)\s*(<[^>]*>)?$/.exec(line);
    if (author && !facts.author) facts.author = author[1]!.replace(/^"|"$/g, '');
    const subject = /^Subject: (?:\[[^\]]*\]\s*)?(.+)$/.exec(line);
    if (subject && !facts.subject) facts.subject = subject[1]!.trim();
  }
  return facts;
}

/** The summary of a branch made from git: the head commit's description, then its commits when there are several. */
export function summaryFromCommits(headMessage: string, subjects: readonly string[]): string {
  const description = headMessage.split('\n').slice(1).join('\n').trim();
  const commits = subjects.length > 1 ? `Commits, oldest first:\n\n${subjects.map((subject) => `- ${subject}`).join('\n')}` : '';
  return [description, commits].filter(Boolean).join('\n\n');
}

/** branch.md of a new branch: open, its tutorial pending (the author is about to write it). */
export function formatNewBranch(facts: Omit<BranchFrontMatter, 'tutorial' | 'state' | 'merge_commit'>, summary: string): string {
  return formatBranchFile({ ...facts, state: 'open', tutorial: 'pending' }, summary);
}
