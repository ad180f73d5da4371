/**
 * What a commit message on the target's first-parent history says about the branch it brought in.
 * Pure: the message and the parent count in, the branch's name, number and title out.
 */

export type MergeStyle = 'pull-request' | 'merge-request' | 'branch' | 'remote-tracking' | 'squash' | 'other';

export interface RecognizedMerge {
  style: MergeStyle;
  /** The branch name as the team knew it: `fix-login`, `feature/search`; `pull/12` when only the number is known. */
  name: string;
  /** The pull- or merge-request number, when the message names one. */
  number?: number;
  /** The title the message gives (a pull request's title, a squash commit's subject), if any. */
  title?: string;
  /** What the message says beyond its subject and title: a pull request's description. */
  description: string;
  /** The branch it says it was merged into (`into develop`), when it says so. */
  into?: string;
}

const PULL_REQUEST = /^Merge pull request #(\d+) from (\S+)/;
const BRANCH = /^Merge (?:branch|tag) '([^']+)'(?: of \S+)?(?: into '?([^']+?)'?)?\s*$/;
const REMOTE_TRACKING = /^Merge remote-tracking branch '([^']+)'(?: into '?([^']+?)'?)?\s*$/;
const NUMBER_SUFFIX = /^(.*?)\s*\(#(\d+)\)\s*$/;
const GITLAB_REQUEST = /^See merge request \S+!(\d+)\s*$/m;

/**
 * @param message the full commit message
 * @param parentCount how many parents the commit has: a squash merge has one, a merge two or more
 * @param sha the commit, to name a merge whose message names no branch
 * @returns undefined for a commit that brought in no branch (an ordinary commit on the target)
 */
export function recognizeMerge(message: string, parentCount: number, sha: string): RecognizedMerge | undefined {
  const [subject = '', ...rest] = message.trim().split('\n');
  const body = rest.join('\n').trim();

  if (parentCount < 2) {
    const squash = NUMBER_SUFFIX.exec(subject);
    if (!squash) return undefined;
    const number = Number(squash[2]);
    return { style: 'squash', name: `pull/${number}`, number, title: squash[1] || undefined, description: body };
  }

  const pull = PULL_REQUEST.exec(subject);
  if (pull) {
    const number = Number(pull[1]);
    const source = pull[2]!;
    // `owner/feature/search`: the owner is the first segment, the branch is everything after it.
    const slash = source.indexOf('/');
    const { title, description } = splitTitle(body);
    return { style: 'pull-request', name: slash >= 0 ? source.slice(slash + 1) : source, number, title, description };
  }

  const branch = BRANCH.exec(subject);
  if (branch) {
    const gitlab = GITLAB_REQUEST.exec(body);
    if (gitlab) {
      const { title, description } = splitTitle(body.replace(GITLAB_REQUEST, '').trim());
      return { style: 'merge-request', name: branch[1]!, number: Number(gitlab[1]), title, description, into: branch[2] };
    }
    return { style: 'branch', name: branch[1]!, description: body, into: branch[2] };
  }

  const remote = REMOTE_TRACKING.exec(subject);
  if (remote) {
    // `origin/feature/search`: a remote-tracking name always starts with the remote's name, after
    // `refs/remotes/` when git was given the full ref (`refs/remotes/github/master` is `master`).
    const tracking = remote[1]!.replace(/^(refs\/)?remotes\//, '');
    const slash = tracking.indexOf('/');
    return { style: 'remote-tracking', name: slash >= 0 ? tracking.slice(slash + 1) : tracking, description: body, into: remote[2] };
  }

  const numbered = NUMBER_SUFFIX.exec(subject);
  if (numbered) {
    const number = Number(numbered[2]);
    return { style: 'pull-request', name: `pull/${number}`, number, title: numbered[1] || undefined, description: body };
  }
  return { style: 'other', name: `merge-${sha.slice(0, 7)}`, title: subject || undefined, description: body };
}

/** A pull request's merge message holds its title on the first line after the subject, then its description. */
function splitTitle(body: string): { title?: string; description: string } {
  const [first = '', ...rest] = body.split('\n');
  return { title: first.trim() || undefined, description: rest.join('\n').trim() };
}

/**
 * A merge that only synchronizes a branch with itself (`Merge branch 'main' of github.com:o/r`,
 * `Merge remote-tracking branch 'origin/main'` on main) or brings the target into another
 * branch is not a review: no page for it.
 *
 * @param targetNames the names the target goes by, e.g. `origin/main` and `main`
 */
export function isSyncMerge(merge: RecognizedMerge, targetNames: readonly string[]): boolean {
  return targetNames.includes(merge.name);
}
