/**
 * What a killed ingest leaves: a new archive being written beside its place
 * (`<out>.ingest-<pid>.tmp`), a new branch folder being assembled (`branches/.<folder>.<pid>.tmp`)
 * and files being replaced (`.<name>.<pid>.<n>.tmp`). The next run removes those of runs that are
 * no longer going, and only those: a run still going (another pid alive) keeps its own.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const namesIn = (dir: string) => readdir(dir).catch(() => [] as string[]);

/** Removes a dead run's temporary files and folders around and inside the archive `out`; returns what was removed. */
export async function removeIngestLeftovers(out: string): Promise<string[]> {
  const absolute = path.resolve(out);
  const removed: string[] = [];
  const sweep = async (dir: string, pattern: RegExp) => {
    for (const name of await namesIn(dir)) {
      const pid = Number(pattern.exec(name)?.[1]);
      if (!pid || isRunning(pid)) continue;
      await rm(path.join(dir, name), { recursive: true, force: true });
      removed.push(path.join(dir, name));
    }
  };
  const escaped = path.basename(absolute).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await sweep(path.dirname(absolute), new RegExp(`^${escaped}\\.ingest-(\\d+)\\.tmp$`));
  await sweep(path.join(absolute, 'branches'), /^\..+\.(\d+)(?:\.\d+)?\.tmp$/);
  for (const folder of await namesIn(path.join(absolute, 'branches'))) {
    if (!folder.startsWith('.')) await sweep(path.join(absolute, 'branches', folder), /^\..+\.(\d+)\.\d+\.tmp$/);
  }
  await sweep(absolute, /^\..+\.(\d+)\.\d+\.tmp$/);
  return removed;
}
