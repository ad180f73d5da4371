import { runGit, type Repository } from './repository.ts';

/** One commit as ingest needs it. */
export interface CommitInfo {
  sha: string;
  /** First parent first. */
  parents: string[];
  /** Committer date, strict ISO 8601 with the committer's offset. */
  committed: string;
  /** Author name, through the repository's mailmap. */
  author: string;
  /** The raw message. */
  message: string;
}

const FIELD = '\x1f';
/** Fields split by a unit separator, the message last so nothing in it can shift the others. */
const COMMIT_FORMAT = ['%H', '%P', '%cI', '%aN', '%B'].join('%x1f');

/**
 * Splits `git log -z --format=<COMMIT_FORMAT>` output into commits. Pure.
 * Records are separated by NUL; the message keeps its text without the final newline git adds.
 */
export function parseCommitRecords(output: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of output.split('\0')) {
    const trimmed = record.replace(/^\n/, '');
    if (!trimmed) continue;
    const fields = trimmed.split(FIELD);
    const [sha = '', parents = '', committed = '', author = ''] = fields;
    commits.push({
      sha,
      parents: parents.split(' ').filter(Boolean),
      committed,
      author,
      message: fields.slice(4).join(FIELD).replace(/\n+$/, ''),
    });
  }
  return commits;
}

/** The target's first-parent history, newest first: one git process, however long the history. */
export async function readFirstParentHistory(repo: Repository, ref: string): Promise<CommitInfo[]> {
  return parseCommitRecords(await runGit(repo, ['log', '--first-parent', '-z', `--format=${COMMIT_FORMAT}`, ref, '--']));
}

/** Several commits by sha, in one git process (the shas go through stdin, so any number fits). */
export async function readCommits(repo: Repository, shas: readonly string[]): Promise<Map<string, CommitInfo>> {
  if (shas.length === 0) return new Map();
  const output = await runGit(repo, ['log', '--no-walk=unsorted', '--stdin', '-z', `--format=${COMMIT_FORMAT}`], `${[...new Set(shas)].join('\n')}\n`);
  return new Map(parseCommitRecords(output).map((commit) => [commit.sha, commit]));
}
