/**
 * Repositories as they really are: shallow CI checkouts (`--depth 1`), partial clones
 * (`--filter=blob:limit=…`) whose blobs are not all there, damaged packs. Ingest reads what git can
 * give, writes a note for what it cannot, and never takes missing history for a fact.
 */
import { readDiffs, type DiffRequest } from './diffs.ts';
import { firstLine, runGit, tryGit, type Repository } from './repository.ts';

export interface DiffOutcome {
  /** The patch, or undefined when git could not read it. */
  patch?: string;
  /** Why not, in a sentence for the user. */
  note?: string;
}

/** "git is missing object <sha>" out of the ways git says so; else git's own first line. */
export function describeDiffFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const sha = /(?:unable to read|could not fetch|missing (?:blob|tree|object)|bad object|could not read|invalid object)\s+([0-9a-f]{7,64})/i.exec(text)?.[1];
  if (sha) return `its diff could not be read: git is missing object ${sha}; the repository is a partial or damaged clone (git fetch --refetch, or clone it without --filter, to get every object)`;
  return `its diff could not be read: git said "${firstLine(error)}"`;
}

/**
 * The diffs of many commits, in as few git processes as possible: one for the whole batch, and only
 * when that fails (one of them needs an object the repository lacks) one per commit, so that a
 * single missing blob costs one branch's diff, not the whole run.
 */
export async function readDiffsTolerantly(repo: Repository, requests: readonly DiffRequest[]): Promise<DiffOutcome[]> {
  try {
    return (await readDiffs(repo, requests)).map((patch) => ({ patch }));
  } catch (batchError) {
    if (requests.length === 1) return [{ note: describeDiffFailure(batchError) }];
    const outcomes: DiffOutcome[] = [];
    // One after the other: all of this batch's work is done (or failed) before the caller goes on.
    for (const request of requests) {
      try {
        outcomes.push({ patch: (await readDiffs(repo, [request]))[0]! });
      } catch (error) {
        outcomes.push({ note: describeDiffFailure(error) });
      }
    }
    return outcomes;
  }
}

/** How much history a shallow repository has, or undefined for a complete one. */
export async function shallowDepth(repo: Repository, targetRef: string): Promise<number | undefined> {
  const shallow = (await tryGit(repo, ['rev-parse', '--is-shallow-repository']))?.trim();
  if (shallow !== 'true') return undefined;
  const count = Number((await runGit(repo, ['rev-list', '--count', '--first-parent', targetRef])).trim());
  return Number.isFinite(count) ? count : 0;
}

export function shallowNote(depth: number, target: string): string {
  return `the repository is a shallow clone: only the last ${depth} ${depth === 1 ? 'commit' : 'commits'} of ${target} ${depth === 1 ? 'is' : 'are'} there, so merges before that are not ingested, and no branch already in the archive is closed or rewritten for lack of history. Run git fetch --unshallow for the whole history`;
}
