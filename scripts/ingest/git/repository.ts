import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Problem } from '../../build/report.ts';

/** A git repository opened for reading, normal or bare. */
export interface Repository {
  /** The path as the user gave it, for messages. */
  shownPath: string;
  /** Absolute top of the working tree, or the git directory of a bare repository. */
  dir: string;
  bare: boolean;
  /** The repository's folder name without `.git`: `review-archive` for `/src/review-archive.git`. */
  name: string;
  git: SimpleGit;
}

/** The branch ingest walks, in the forms a merge message may name it. */
export interface Target {
  /** As given: `main`, `origin/main`. */
  name: string;
  /** The full ref: `refs/heads/main`, `refs/remotes/origin/main`. */
  ref: string;
  /** Every name a merge message may use for it: `origin/main` and `main`. */
  names: string[];
  sha: string;
}

/** Up to this many git processes at once: ingest runs on machines with as few as two cores. */
const MAX_GIT_PROCESSES = 4;

function openGit(dir: string, stdin?: string): SimpleGit {
  return simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: MAX_GIT_PROCESSES,
    trimmed: false,
    // simple-git resolves a silent non-zero exit (`merge-base --is-ancestor` saying no) as success.
    errors: (error, result) => error ?? (result.exitCode === 0 ? undefined : new Error(Buffer.concat(result.stdErr).toString() || `git exited with status ${result.exitCode}`)),
    ...(stdin === undefined ? {} : { input: () => stdin }),
  });
}

/** Runs one git command and returns its output; `stdin` is written to its standard input. */
export function runGit(repo: Repository, args: string[], stdin?: string): Promise<string> {
  return (stdin === undefined ? repo.git : openGit(repo.dir, stdin)).raw(args);
}

/** Runs a git command that may fail for an expected reason; undefined instead of an error. */
export async function tryGit(repo: Repository, args: string[]): Promise<string | undefined> {
  try {
    return await runGit(repo, args);
  } catch {
    return undefined;
  }
}

/**
 * Opens the repository at `repoPath`: its top-level folder or, for a bare repository, its git
 * folder. A path inside a repository is refused, so nobody ingests a parent repository by mistake.
 */
export async function openRepository(repoPath: string): Promise<{ repo?: Repository; problems: Problem[] }> {
  const fail = (message: string) => ({ problems: [{ file: repoPath, field: '--repo', message }] });
  const info = await stat(repoPath).catch(() => undefined);
  if (!info) return fail('does not exist');
  if (!info.isDirectory()) return fail('is not a directory: pass the folder of a git repository');

  const absolute = await realpath(repoPath);
  const git = openGit(absolute);
  let output: string;
  try {
    output = await git.raw(['rev-parse', '--is-bare-repository', '--absolute-git-dir']);
  } catch (error) {
    return fail(`is not a git repository (git says: ${firstLine(error)})`);
  }
  const [bareFlag = '', gitDir = ''] = output.trim().split('\n');
  let dir = await realpath(gitDir);
  // A git folder without a working tree (a mirror, a clone's .git) reads like a bare repository.
  const bare = bareFlag === 'true' || dir === absolute;
  if (!bare) {
    const top = (await git.raw(['rev-parse', '--show-toplevel']).catch(() => '')).trim();
    if (!top) return fail(`is inside the git folder ${gitDir}, not a repository: pass the repository's top folder`);
    dir = await realpath(top);
  }
  if (dir !== absolute) {
    return fail(`is inside the repository ${dir} but is not its top folder: pass --repo ${dir}`);
  }
  return { repo: { shownPath: repoPath, dir, bare, name: repositoryName(dir), git }, problems: [] };
}

/**
 * Finds the branch to walk: `name` as a local branch, then as a remote-tracking branch; without
 * a name, the branch HEAD points at. Problems name what was asked for and what exists.
 */
export async function resolveTarget(repo: Repository, name: string | undefined): Promise<{ target?: Target; problems: Problem[] }> {
  const fail = (message: string) => ({ problems: [{ file: repo.shownPath, field: '--target', message }] });
  let wanted = name;
  if (wanted === undefined) {
    wanted = (await tryGit(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']))?.trim();
    if (!wanted) return fail('is needed: HEAD is detached, so there is no default branch to walk');
  }
  for (const ref of [`refs/heads/${wanted}`, `refs/remotes/${wanted}`, wanted.startsWith('refs/') ? wanted : undefined]) {
    if (!ref) continue;
    const sha = (await tryGit(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim();
    if (sha) {
      const short = ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\/[^/]+\//, '');
      return { target: { name: wanted, ref, names: [...new Set([wanted, short])], sha }, problems: [] };
    }
  }
  const branches = (await tryGit(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes']))?.trim().split('\n').filter(Boolean) ?? [];
  const known = branches.length ? `its branches are ${shortList(branches)}` : 'it has no branches (no commits yet?)';
  return fail(`"${wanted}" is not a branch of ${repo.shownPath}: ${known}`);
}

/** `/src/app.git` → `app`; `/src/app/.git` → `app`. */
function repositoryName(dir: string): string {
  const base = path.basename(dir) === '.git' ? path.basename(path.dirname(dir)) : path.basename(dir);
  return base.replace(/\.git$/, '') || 'repository';
}

/** The first line of a git error, which is where git says what is wrong. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0]!.replace(/^fatal:\s*/, '');
}

function shortList(items: string[]): string {
  const shown = items.slice(0, 8).join(', ');
  return items.length > 8 ? `${shown} and ${items.length - 8} more` : shown;
}
