/**
 * One build at a time per cache and per output. Two builds into the same `--out` or `--cache` would
 * delete each other's files halfway; the second one is told the first is running and stops before
 * it writes anything. A lock is a small file holding its owner's pid, created exclusively; a lock
 * whose owner is no longer running (a build that was killed) is stale, and is taken over with a note.
 */
import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** How long an unreadable lock file is taken for one its owner is still writing. */
const FRESH_LOCK_MS = 5_000;

export interface LockOwner {
  pid: number;
  host: string;
  /** When the owner took the lock, ISO 8601. */
  started: string;
}

export type LockResult =
  | { ok: true; release: () => void; /** Set when a stale lock was taken over. */ note?: string }
  | { ok: false; message: string; /** Who holds it, when the lock file says so. */ holder?: LockOwner };

/**
 * Creates `file` holding `contents`, or throws EEXIST when it exists. The contents are written to a
 * private file first and hard-linked into place, so nobody ever reads the lock empty or half
 * written (with `wx` alone a contender starting in the same millisecond found an empty file and
 * could only say "just starting"). Where hard links are not supported, falls back to `wx`.
 */
function createWithContents(file: string, contents: string): void {
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, contents);
  try {
    linkSync(draft, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    writeFileSync(file, contents, { flag: 'wx' });
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Whether a process of this machine with that pid is running (a zombie or another user's counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock `file` for this process. `what` names the guarded thing in messages, e.g.
 * `the cache .review-archive`; `who` names what takes it (`npm run dev` takes one too).
 * Synchronous, so a lock is never half taken when the process dies.
 */
export function acquireLock(file: string, what: string, who = 'build'): LockResult {
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  let note: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createWithContents(file, JSON.stringify(me));
      const release = () => {
        // Only our own lock: a lock taken over from us after a hang is the new owner's.
        if (readOwner(file)?.pid === me.pid) unlinkSync(file);
      };
      process.once('exit', () => {
        try {
          release();
        } catch {
          // Already gone.
        }
      });
      return { ok: true, release, note };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    // An unreadable lock may be one being written this very moment: only an old one is stale.
    if (!owner && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < FRESH_LOCK_MS) {
      return { ok: false, message: `another ${who} is just starting to use ${what} (${file}). Wait for it to finish` };
    }
    if (owner && owner.host !== me.host) {
      return { ok: false, holder: owner, message: `another ${who}, on ${owner.host} (pid ${owner.pid}, since ${owner.started}), is using ${what}. Wait for it to finish; if no ${who} is running there, delete ${file}` };
    }
    if (owner && isRunning(owner.pid)) {
      return { ok: false, holder: owner, message: `another ${who} (pid ${owner.pid}, running since ${owner.started}) is using ${what}. Wait for it to finish, or give this build its own --out and --cache` };
    }
    // Stale: its owner died without releasing it, or it is unreadable (a write cut short).
    // Re-read just before removing, so a lock another build took meanwhile is not broken.
    if (readOwner(file)?.pid === owner?.pid) {
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed it first; try again.
      }
    }
    note = owner ? `a stale lock on ${what} was left by ${who} pid ${owner.pid} (started ${owner.started}), which is no longer running; it was removed` : `an unreadable lock file ${file} was removed`;
  }
  return { ok: false, message: `could not lock ${what} (${file}): other ${who}s keep taking it` };
}
