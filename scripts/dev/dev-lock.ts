/**
 * One `npm run dev` per checkout. Astro's dev server keeps its content store in `<project>/.astro/`
 * and reloads it whenever the file changes on disk, so a second dev server from the same checkout
 * would swap its collections in under the first (one archive's titles on the other's pages).
 *
 * The lock is the build's (scripts/build/build-lock.ts): created exclusively, so two dev servers
 * starting together cannot both take it, and a lock left by a killed one is taken over.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock } from '../build/build-lock.ts';

export type DevLock = { release: () => void; note?: string } | { heldBy: number } | { problem: string };

/** Takes the lock, or says which dev server holds it (or why it cannot be taken). */
export function takeDevLock(projectRoot: string): DevLock {
  const file = devLockFile(projectRoot);
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = acquireLock(file, `the dev content store of ${projectRoot}`, 'npm run dev');
  if (lock.ok) return { release: lock.release, ...(lock.note && { note: lock.note }) };
  // A checkout shared with another machine: its pid means nothing here, so the lock's own message says where.
  return lock.holder && lock.holder.host === os.hostname() ? { heldBy: lock.holder.pid } : { problem: lock.message };
}

export function devLockFile(projectRoot: string): string {
  return path.join(projectRoot, '.astro', 'review-archive-dev.lock');
}
