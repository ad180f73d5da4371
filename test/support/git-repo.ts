import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Person {
  name: string;
  email: string;
}

export const ADA: Person = { name: 'Ada Example', email: 'ada@example.org' };
export const BOB: Person = { name: 'Bob Example', email: 'bob@example.org' };

/**
 * A git repository made on the fly for a test. Every commit gets the next tick of a fixed clock
 * (one hour apart from 2026-01-05 10:00 UTC) and a fixed author, so shas are the same on every run.
 */
export interface TestRepo {
  dir: string;
  /** Runs git in the repository and returns its output. */
  git(...args: string[]): Promise<string>;
  /** Writes files (text or bytes) relative to the working tree and stages them. */
  write(files: Record<string, string | Uint8Array>): Promise<void>;
  /** Stages and commits everything; returns the new commit's sha. */
  commit(message: string, author?: Person): Promise<string>;
  /** Switches to `name`, creating it from `from` (default: the current commit) when it does not exist. */
  switchTo(name: string, from?: string): Promise<void>;
  /** `git merge --no-ff` of `branch` into the current branch with `message`; returns the merge's sha. */
  merge(branch: string, message: string, author?: Person): Promise<string>;
  /** A squash merge: the branch's changes as one commit with `message` on the current branch. */
  squashMerge(branch: string, message: string, author?: Person): Promise<string>;
  sha(rev?: string): Promise<string>;
  /** A bare clone of this repository (all its branches as local branches); returns its path. */
  cloneBare(): Promise<string>;
  remove(): Promise<void>;
}

/** The clock and identity git reads from the environment; no user or system config leaks in. */
function gitEnv(tick: number, author: Person): NodeJS.ProcessEnv {
  const date = new Date(Date.UTC(2026, 0, 5, 10) + tick * 3_600_000).toISOString().replace('.000Z', 'Z');
  return {
    ...process.env,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

/** Creates an empty repository with `master` as its branch, in a new temporary folder. */
export async function createRepo(name = 'widgets'): Promise<TestRepo> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'ra-git-'));
  const dir = path.join(parent, name);
  await mkdir(dir);
  let tick = 0;
  let who: Person = ADA;
  const git = async (...args: string[]) => (await run('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: gitEnv(tick, who), maxBuffer: 64 << 20 })).stdout;
  const as = async <T>(author: Person, work: () => Promise<T>): Promise<T> => {
    who = author;
    tick++;
    try {
      return await work();
    } finally {
      who = ADA;
    }
  };
  await git('init', '--quiet', '--initial-branch=master');

  const repo: TestRepo = {
    dir,
    git,
    async write(files) {
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), content);
      }
      await git('add', '--all');
    },
    commit: (message, author = ADA) =>
      as(author, async () => {
        await git('add', '--all');
        await git('commit', '--quiet', '--allow-empty', '-m', message);
        return repo.sha();
      }),
    async switchTo(branch, from) {
      const exists = await git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`).then(
        () => true,
        () => false,
      );
      await git('switch', '--quiet', ...(exists ? [branch] : ['-c', branch, ...(from ? [from] : [])]));
    },
    merge: (branch, message, author = ADA) =>
      as(author, async () => {
        await git('merge', '--quiet', '--no-ff', '-m', message, branch);
        return repo.sha();
      }),
    squashMerge: (branch, message, author = ADA) =>
      as(author, async () => {
        await git('merge', '--quiet', '--squash', branch);
        await git('commit', '--quiet', '-m', message);
        return repo.sha();
      }),
    async sha(rev = 'HEAD') {
      return (await git('rev-parse', rev)).trim();
    },
    async cloneBare() {
      const bare = path.join(parent, `${name}.git`);
      await run('git', ['clone', '--quiet', '--bare', dir, bare], { env: gitEnv(tick, ADA) });
      return bare;
    },
    async remove() {
      await rm(parent, { recursive: true, force: true });
    },
  };
  return repo;
}
