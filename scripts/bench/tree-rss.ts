import { readdirSync, readFileSync } from 'node:fs';

/**
 * The peak of the summed resident memory of a process and every process it started (Linux /proc),
 * sampled. GNU time reports the largest single process only; a build runs Pagefind beside Node,
 * and what a machine must have is the two together.
 */
export function watchTreeRss(rootPid: number, intervalMs = 200): { stop: () => number | undefined } {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let peakKiB = 0;
  const sample = () => {
    const parents = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // Field 4 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // The process ended between the listing and the read.
      }
    }
    const tree = new Set([rootPid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, parent] of parents) {
        if (tree.has(parent) && !tree.has(pid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    let totalKiB = 0;
    for (const pid of tree) {
      try {
        totalKiB += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        // Gone already.
      }
    }
    peakKiB = Math.max(peakKiB, totalKiB);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKiB || undefined;
    },
  };
}
