import { spawn } from 'node:child_process';
import { watchTreeRss } from './tree-rss.ts';

/** One measured child process of `npm run bench`. */
export interface Run {
  ms: number;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child (all its threads), from GNU time when available. */
  maxRssKiB?: number;
  /** Peak of the child's and its own children's RSS summed (e.g. Node and Pagefind), sampled. */
  treeRssKiB?: number;
  /**
   * CPU time (user + system) of the child and the children it waited for, from GNU time. On a
   * machine shared with other work, wall time grows with the load and CPU time much less.
   */
  cpuMs?: number;
  /** The child was stopped at its CPU time limit (see RunOptions.cpuLimitSeconds) before it finished. */
  stoppedAtLimit?: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Seconds of CPU time the child may use; past them the kernel stops it (RLIMIT_CPU, `ulimit -t`)
   * and the run comes back with `stoppedAtLimit` instead of failing. CPU time, not wall time, so
   * that a limit means the same on a busy machine as on an idle one.
   */
  cpuLimitSeconds?: number;
}

/**
 * Runs a command under GNU time (Linux) and resolves with its figures; rejects when it fails,
 * except when it was stopped at its CPU time limit.
 */
export function measuredRun(command: string, args: string[], options: RunOptions): Promise<Run> {
  const useTime = process.platform === 'linux';
  const limit = options.cpuLimitSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.cpuLimitSeconds));
  // A shell between GNU time and the command sets the limit, then becomes the command (exec), so
  // GNU time still measures the command itself. No core file for a stopped child.
  const limited: [string, string[]] = limit === undefined ? [command, args] : ['/bin/sh', ['-c', `ulimit -c 0; ulimit -t ${limit}; exec "$0" "$@"`, command, ...args]];
  const [file, argv] = useTime ? ['/usr/bin/time', ['-f', 'MAXRSS %M CPU %U %S', ...limited.flat()]] : limited;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tree = watchTreeRss(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const treeRssKiB = tree.stop();
      const rss = /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      const cpuMs = rss ? 1000 * (Number(rss[2]) + Number(rss[3])) : undefined;
      // The kernel sends SIGXCPU (24) at the limit and SIGKILL (9) a second later; GNU time says which.
      const killedBy = useTime ? Number(/Command terminated by signal (\d+)/.exec(stderr)?.[1] ?? 0) : signal === 'SIGXCPU' || signal === 'SIGKILL' ? 9 : 0;
      const stoppedAtLimit = limit !== undefined && (killedBy === 24 || killedBy === 9);
      if (code !== 0 && !stoppedAtLimit) reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${stderr.slice(-3000)}`));
      else resolve({ ms, stdout, stderr, maxRssKiB: rss ? Number(rss[1]) : undefined, treeRssKiB, cpuMs, ...(stoppedAtLimit && { stoppedAtLimit }) });
    });
  });
}

/** The larger of the two peak figures: the sampled tree sum can miss a short spike GNU time sees. */
export const peakOf = (run: { maxRssKiB?: number; treeRssKiB?: number }) =>
  run.maxRssKiB === undefined && run.treeRssKiB === undefined ? undefined : Math.max(run.maxRssKiB ?? 0, run.treeRssKiB ?? 0);
