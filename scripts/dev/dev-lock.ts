/**
 * One `npm run dev` per checkout. Astro's dev server keeps its content store in `<project>/.astro/`
 * and reloads it whenever the file changes on disk, so a second dev server from the same checkout
 * would swap its collections in under the first (one archive's titles on the other's pages).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or returns the pid of the dev server that holds it. A lock left by a process that is gone is taken over. */
export function takeDevLock(projectRoot: string): { release: () => void } | { heldBy: number } {
  const file = path.join(projectRoot, '.astro', 'review-archive-dev.pid');
  const holder = Number.parseInt(readFileSafe(file), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) return { heldBy: holder };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, String(process.pid));
  return {
    release: () => {
      if (readFileSafe(file) === String(process.pid)) rmSync(file, { force: true });
    },
  };
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
