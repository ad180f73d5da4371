import { mapLimited } from '../../archive/load-archive.ts';
import { readDiffs, type DiffRequest } from '../../ingest/git/diffs.ts';
import { runGit, tryGit, type Repository } from '../../ingest/git/repository.ts';
import type { ForgeBranch } from './forge-branch.ts';

/** A branch's diff, or why the archive has none. */
export type DiffOutcome = { patchText: string; base: string } | { missing: string };

/**
 * The diff of each pull or merge request from a clone, exactly as `npm run ingest` reads it (the
 * same `git diff-tree` request): a merged one from its merge's first parent to the merge (for a
 * squash merge, the squash commit's parent to it), the others from the merge base of base and
 * head to the head. A commit the clone lacks (a head force-pushed away, a fork's branch) leaves
 * that branch without a diff, with the reason.
 */
export async function readForgeDiffs(repo: Repository | undefined, branches: readonly ForgeBranch[]): Promise<Map<string, DiffOutcome>> {
  const outcomes = new Map<string, DiffOutcome>();
  if (!repo) {
    for (const branch of branches) outcomes.set(branch.key, { missing: 'the import was run without --repo, so the diff could not be read' });
    return outcomes;
  }
  const fromMerge = (branch: ForgeBranch) => branch.mergeCommit !== undefined && !branch.fastForward;
  const needed = branches.flatMap((branch) => (fromMerge(branch) ? [branch.mergeCommit!] : [branch.head, ...(branch.base ? [branch.base] : [])]));
  const present = await presentCommits(repo, needed);
  const requests = new Map<string, DiffRequest>();
  const parents = await firstParents(repo, branches.filter((b) => fromMerge(b) && present.has(b.mergeCommit!)).map((b) => b.mergeCommit!));
  const targets = new Map<string, string | undefined>();
  await mapLimited(branches, 2, async (branch) => {
    const wanted: Array<[string, string]> = fromMerge(branch) ? [['merge commit', branch.mergeCommit!]] : [['head', branch.head], ...(branch.base ? ([['base', branch.base]] as Array<[string, string]>) : [])];
    const lacking = wanted.find(([, sha]) => !present.has(sha));
    if (lacking) {
      outcomes.set(branch.key, { missing: `the clone (--repo) does not have the ${lacking[0]} commit ${lacking[1]} (force-pushed away, or from a fork)` });
      return;
    }
    if (fromMerge(branch)) {
      const parent = parents.get(branch.mergeCommit!);
      if (!parent) outcomes.set(branch.key, { missing: `the merge commit ${branch.mergeCommit} has no parent in ${repo.shownPath}` });
      else requests.set(branch.key, { commit: branch.mergeCommit!, parent });
      return;
    }
    let from = branch.base;
    if (!from) {
      if (!targets.has(branch.target)) targets.set(branch.target, await targetSha(repo, branch.target));
      from = targets.get(branch.target);
      if (!from) {
        outcomes.set(branch.key, { missing: `the export does not name the base commit, and ${repo.shownPath} has no branch ${branch.target} to find it from` });
        return;
      }
    }
    const base = (await tryGit(repo, ['merge-base', from, branch.head]))?.trim();
    if (!base) outcomes.set(branch.key, { missing: `${from.slice(0, 12)} and ${branch.head.slice(0, 12)} share no history in ${repo.shownPath}` });
    else requests.set(branch.key, { commit: branch.head, parent: base });
  });
  const keys = [...requests.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += 16) chunks.push(keys.slice(i, i + 16));
  await mapLimited(chunks, 2, async (part) => {
    const patches = await readDiffs(repo, part.map((key) => requests.get(key)!));
    part.forEach((key, index) => outcomes.set(key, { patchText: patches[index]!, base: requests.get(key)!.parent }));
  });
  return outcomes;
}

/** Which of these commits the repository has, in one `git cat-file --batch-check`. */
async function presentCommits(repo: Repository, shas: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return new Set();
  const output = await runGit(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], unique.map((sha) => `${sha}\n`).join(''));
  const present = new Set<string>();
  output.split('\n').forEach((line, index) => {
    if (line.endsWith(' commit') && unique[index]) present.add(unique[index]!);
  });
  return present;
}

/** First parents of commits the repository has, in one `git log --no-walk --stdin`. */
async function firstParents(repo: Repository, shas: readonly string[]): Promise<Map<string, string>> {
  const parents = new Map<string, string>();
  if (shas.length === 0) return parents;
  const output = await runGit(repo, ['log', '--no-walk=unsorted', '--stdin', '--format=%H %P'], shas.map((sha) => `${sha}\n`).join(''));
  const full = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [sha, parent] = line.trim().split(' ');
    if (sha && parent) full.set(sha, parent);
  }
  // The export may name a commit by a short sha; git answers with the full one.
  for (const sha of shas) {
    const match = full.get(sha) ?? [...full].find(([long]) => long.startsWith(sha))?.[1];
    if (match) parents.set(sha, match);
  }
  return parents;
}

/** The target branch's commit: a local branch, else origin's copy (a mirror has refs/heads). */
async function targetSha(repo: Repository, target: string): Promise<string | undefined> {
  for (const ref of [`refs/heads/${target}`, `refs/remotes/origin/${target}`]) {
    const sha = (await tryGit(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim();
    if (sha) return sha;
  }
  return undefined;
}
