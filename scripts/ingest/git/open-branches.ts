import { mapLimited } from '../../archive/load-archive.ts';
import { runGit, tryGit, type Repository, type Target } from './repository.ts';

/** A branch ref not merged into the target. */
export interface OpenRef {
  /** The branch name without the remote: `feature/search` for `refs/remotes/origin/feature/search`. */
  name: string;
  ref: string;
  sha: string;
  committed: string;
  author: string;
  subject: string;
}

const REF_FORMAT = ['%(refname)', '%(objectname)', '%(symref)', '%(committerdate:iso-strict)', '%(authorname)', '%(subject)'].join('%1f');

/**
 * Reads `git for-each-ref --format=<REF_FORMAT>` output and keeps one ref per branch name. Pure.
 * A local branch wins over a remote-tracking one of the same name (it is where work happens);
 * `origin/HEAD` and any ref named like the target are not branches under review.
 */
export function selectOpenBranches(output: string, target: Target): OpenRef[] {
  const byName = new Map<string, OpenRef & { local: boolean }>();
  for (const line of output.split('\n')) {
    if (!line) continue;
    const [ref = '', sha = '', symref = '', committed = '', author = '', subject = ''] = line.split('\x1f');
    if (symref || ref === target.ref) continue;
    const local = ref.startsWith('refs/heads/');
    const name = local ? ref.slice('refs/heads/'.length) : ref.replace(/^refs\/remotes\/[^/]+\//, '');
    if (!name || target.names.includes(name)) continue;
    const seen = byName.get(name);
    if (seen && (seen.local || !local)) continue;
    byName.set(name, { name, ref, sha, committed, author, subject, local });
  }
  return [...byName.values()].map(({ local: _local, ...ref }) => ref).sort((a, b) => a.name.localeCompare(b.name));
}

/** Local and remote-tracking branches that the target has not merged, in one git process. */
export async function readOpenBranches(repo: Repository, target: Target): Promise<OpenRef[]> {
  const output = await runGit(repo, ['for-each-ref', `--no-merged=${target.sha}`, `--format=${REF_FORMAT}`, 'refs/heads', 'refs/remotes']);
  return selectOpenBranches(output, target);
}

/**
 * Where each open branch left the target (`git merge-base`): its diff is base...head.
 * A branch that shares no history with the target (an orphan `gh-pages`) gets no base.
 */
export async function readMergeBases(repo: Repository, target: Target, heads: readonly string[]): Promise<Map<string, string | undefined>> {
  const unique = [...new Set(heads)];
  const bases = await mapLimited(unique, 4, async (head) => (await tryGit(repo, ['merge-base', target.sha, head]))?.trim() || undefined);
  return new Map(unique.map((head, i) => [head, bases[i]]));
}

/** Whether `commit` is in the target's history: a branch that vanished from the open list may have been fast-forwarded in. */
export async function isMergedInto(repo: Repository, commit: string, target: Target): Promise<boolean> {
  return (await tryGit(repo, ['merge-base', '--is-ancestor', commit, target.sha])) !== undefined;
}
