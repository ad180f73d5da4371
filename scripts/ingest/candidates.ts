import type { CommitInfo } from './git/history.ts';
import { isSyncMerge, recognizeMerge } from './git/merge-message.ts';
import type { OpenRef } from './git/open-branches.ts';
import type { Target } from './git/repository.ts';
import type { DiffRequest } from './git/diffs.ts';
import type { BranchFacts } from './plan-folder.ts';

/** A branch found in git, before it has an id. */
export interface Candidate {
  /** Stable key: `merge:<sha>` for a merged branch, `open:<name>` for an open one. */
  key: string;
  kind: 'merged' | 'open';
  name: string;
  /** Pull- or merge-request number from the message. */
  number?: number;
  target: string;
  mergeCommit?: string;
  head: string;
  base: string;
  updated: string;
  /** Known from the message or the ref; for a merge of a branch, the head's subject (read later). */
  title?: string;
  /** Known for open branches and squash merges; for a merge of a branch, the head's author (read later). */
  author?: string;
  /** The pull request's description, when the message carries one. */
  description: string;
  diff: DiffRequest;
}

/**
 * The branches merged into the target, newest first, from its first-parent history, and every
 * pull-request number that history names (new ids must stay clear of them). Pure.
 */
export function collectMerged(history: readonly CommitInfo[], target: Target): { merged: Candidate[]; knownNumbers: number[] } {
  const merged: Candidate[] = [];
  const knownNumbers: number[] = [];
  for (const commit of history) {
    const [base, branchHead] = commit.parents;
    if (!base) continue;
    const merge = recognizeMerge(commit.message, commit.parents.length, commit.sha);
    if (!merge || isSyncMerge(merge, target.names)) continue;
    if (merge.number !== undefined) knownNumbers.push(merge.number);
    const squash = merge.style === 'squash';
    merged.push({
      key: `merge:${commit.sha}`,
      kind: 'merged',
      name: merge.name,
      number: merge.number,
      target: merge.into ?? target.name,
      mergeCommit: commit.sha,
      head: squash ? commit.sha : branchHead!,
      base,
      updated: commit.committed,
      title: merge.style === 'pull-request' || merge.style === 'merge-request' || squash ? merge.title : undefined,
      author: squash ? commit.author : undefined,
      description: merge.description,
      diff: { commit: commit.sha, parent: base },
    });
  }
  return { merged, knownNumbers };
}

/** The open branches that share history with the target, with their merge base. Pure. */
export function collectOpen(refs: readonly OpenRef[], bases: ReadonlyMap<string, string | undefined>, target: Target): { open: Candidate[]; unrelated: string[] } {
  const open: Candidate[] = [];
  const unrelated: string[] = [];
  for (const ref of refs) {
    const base = bases.get(ref.sha);
    if (!base) {
      unrelated.push(ref.name);
      continue;
    }
    open.push({
      key: `open:${ref.name}`,
      kind: 'open',
      name: ref.name,
      target: target.name,
      head: ref.sha,
      base,
      updated: ref.committed,
      title: ref.subject || undefined,
      author: ref.author || undefined,
      description: '',
      diff: { commit: ref.sha, parent: base },
    });
  }
  return { open, unrelated };
}

/**
 * The branches `--since` and `--limit` ask for: updated at or after `since`, then the `limit`
 * most recently updated. Branches outside the window are left as they are in the archive. Pure.
 */
export function applyWindow(candidates: readonly Candidate[], since: Date | undefined, limit: number | undefined): Candidate[] {
  const after = since ? candidates.filter((c) => Date.parse(c.updated) >= since.getTime()) : [...candidates];
  const newestFirst = after.sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated) || a.key.localeCompare(b.key));
  return limit === undefined ? newestFirst : newestFirst.slice(0, limit);
}

/**
 * The front matter facts of a candidate once it has an id. A merge of a branch takes its title
 * and author from the branch's head commit (the merge commit's author only pressed the button).
 */
export function factsOf(candidate: Candidate, id: number, headCommit: CommitInfo | undefined): BranchFacts {
  return {
    id,
    name: candidate.name,
    title: candidate.title || headCommit?.message.split('\n')[0]?.trim() || candidate.name,
    state: candidate.kind,
    target: candidate.target,
    merge_commit: candidate.mergeCommit,
    head: candidate.head,
    base: candidate.base,
    author: candidate.author || headCommit?.author || 'unknown',
    updated: candidate.updated,
  };
}
