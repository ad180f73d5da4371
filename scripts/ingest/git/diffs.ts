import { runGit, type Repository } from './repository.ts';

/** The diff from `parent` to `commit`: a merge against its first parent, an open head against its merge base. */
export interface DiffRequest {
  commit: string;
  parent: string;
}

const MARKER = 'review-archive-diff';

/**
 * `git diff-tree --stdin` reads lines `<commit> <parent>` and prints, for each, a header from
 * `--format` and the diff from parent to commit; `--always` prints the header even for an empty
 * diff, so the output splits into exactly one part per request, in order.
 */
const DIFF_TREE_ARGS = ['diff-tree', '--stdin', '--always', '-p', '-M', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', `--format=%x00${MARKER} %H`];

/**
 * Cuts diff-tree output into one patch per request. Pure.
 * @throws Error when git answered something else than what was asked (a bug, not bad input)
 */
export function splitDiffOutput(output: string, requests: readonly DiffRequest[]): string[] {
  const parts = output.split(`\0${MARKER} `).slice(1);
  if (parts.length !== requests.length) {
    throw new Error(`git diff-tree returned ${parts.length} diffs for ${requests.length} requests`);
  }
  return parts.map((part, i) => {
    const newline = part.indexOf('\n');
    const sha = newline < 0 ? part : part.slice(0, newline);
    if (sha !== requests[i]!.commit) throw new Error(`git diff-tree returned the diff of ${sha} where ${requests[i]!.commit} was expected`);
    return newline < 0 ? '' : part.slice(newline + 1).replace(/^\n/, '');
  });
}

/** The diffs of many commits in one git process. */
export async function readDiffs(repo: Repository, requests: readonly DiffRequest[]): Promise<string[]> {
  if (requests.length === 0) return [];
  const stdin = requests.map(({ commit, parent }) => `${commit} ${parent}\n`).join('');
  return splitDiffOutput(await runGit(repo, DIFF_TREE_ARGS, stdin), requests);
}

/** The diff between two commits, as `git diff -M base head` prints it (used by the pika importer). */
export function readDiffBetween(repo: Repository, base: string, head: string): Promise<string> {
  return runGit(repo, ['diff', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', base, head, '--']);
}
