/**
 * `npm run import -- github` at scale: generates a GitHub export shaped like the real API's
 * (2,000 pull requests, 30,000 review and issue comments, 5,000 Actions job logs in logs.zip
 * files), imports it in a process of its own and reports wall time and peak memory against the
 * targets (under 60 s, under 1 GiB), then imports it again (nothing to write); then an export
 * of four 50 MB job logs, whose peak memory shows the logs are copied, not held.
 * Run alone: `node scripts/bench/forge-import-bench.ts [--pulls N]`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { formatFigures, type Figure } from './figures.ts';
import { watchTreeRss } from './tree-rss.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET_SECS = 60;
const TARGET_RSS_MIB = 1024;

export interface ForgeCorpusShape {
  pulls: number;
  comments: number;
  jobLogs: number;
  /** Lines per job log. */
  logLines: number;
}

export const FORGE_CORPUS: ForgeCorpusShape = { pulls: 2000, comments: 30_000, jobLogs: 5000, logLines: 300 };

/** A deterministic stream of numbers, so every bench run imports the same export. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const sha = (n: number, salt: string) => `${salt}${n.toString(16)}`.padStart(40, '0').slice(-40);
const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const user = (n: number) => ({ login: `dev${n}`, id: n, type: 'User', html_url: `https://github.com/dev${n}` });

function logText(lines: number, failing: boolean, next: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const stamp = `2025-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.1234567Z`;
    if (i % 50 === 0) out.push(`${stamp} ##[group]Step ${i / 50 + 1}`);
    out.push(`${stamp} \u001b[32m✓\u001b[0m test/case-${i}.test.ts > does thing ${Math.floor(next() * 1000)} (${Math.floor(next() * 90)} ms)`);
    if (i % 50 === 49) out.push(`${stamp} ##[endgroup]`);
  }
  if (failing) out.push('2025-01-01T00:59:59.1234567Z ##[error]Process completed with exit code 1.');
  return `${out.join('\n')}\n`;
}

/** Writes the export; returns how many comments and job logs it holds. */
export async function generateGithubExport(dir: string, shape: ForgeCorpusShape): Promise<{ comments: number; jobLogs: number }> {
  const next = random(16);
  const perPull = shape.comments / shape.pulls;
  const jobsPerPull = shape.jobLogs / shape.pulls;
  let comments = 0;
  let jobLogs = 0;
  let commentId = 1;
  const pulls = [];
  for (let n = 1; n <= shape.pulls; n++) {
    const merged = n % 5 !== 0;
    pulls.push({
      number: n,
      state: n % 7 === 0 ? 'open' : 'closed',
      title: `Change ${n}: tidy module ${n % 97}`,
      body: `Reworks module ${n % 97}.\n\n- keeps the API\n- adds tests`,
      user: user(n % 40),
      draft: n % 29 === 0,
      created_at: at(n * 60),
      updated_at: at(n * 60 + 50),
      closed_at: merged ? at(n * 60 + 45) : null,
      merged_at: n % 7 !== 0 && merged ? at(n * 60 + 45) : null,
      merge_commit_sha: sha(n, 'c0'),
      html_url: `https://github.com/bench/corpus/pull/${n}`,
      head: { ref: `feature/change-${n}`, sha: sha(n, 'a0') },
      base: { ref: 'main', sha: sha(n, 'b0') },
    });
    const folder = path.join(dir, 'pulls', String(n));
    await mkdir(folder, { recursive: true });
    const lineComments = [];
    const issueComments = [];
    const wanted = Math.round(perPull * (n / shape.pulls) * 2) || (n % 2);
    for (let i = 0; i < wanted && comments < shape.comments; i++, comments++) {
      const id = commentId++;
      const created = at(n * 60 + 5 + i);
      if (i % 4 === 3) {
        issueComments.push({ id, user: user(i % 40), created_at: created, updated_at: created, body: `Comment ${i} on #${n}: looks fine once the \`cache\` key is pinned.` });
        continue;
      }
      const line = 1 + Math.floor(next() * 40);
      const reply = i % 4 === 1 ? { in_reply_to_id: id - 1 } : {};
      lineComments.push({
        id,
        pull_request_review_id: n * 10,
        path: `src/module-${n % 97}/file-${i % 3}.ts`,
        line: i % 9 === 0 ? null : line,
        original_line: line,
        start_line: null,
        side: 'RIGHT',
        subject_type: 'line',
        diff_hunk: `@@ -1,3 +1,${line} @@\n context\n+added line ${line}`,
        body: `Line note ${i}: should this handle the empty case?`,
        user: user(i % 40),
        created_at: created,
        updated_at: created,
        ...reply,
      });
    }
    const reviews = [
      { id: n * 10, user: user((n + 1) % 40), body: 'A few notes.', state: 'COMMENTED', submitted_at: at(n * 60 + 20), commit_id: sha(n, 'a0') },
      { id: n * 10 + 1, user: user((n + 2) % 40), body: '', state: merged ? 'APPROVED' : 'CHANGES_REQUESTED', submitted_at: at(n * 60 + 30), commit_id: sha(n, 'a0') },
    ];
    await Promise.all([
      writeFile(path.join(folder, 'reviews.json'), JSON.stringify(reviews)),
      writeFile(path.join(folder, 'comments.json'), JSON.stringify(lineComments)),
      writeFile(path.join(folder, 'issue-comments.json'), JSON.stringify(issueComments)),
    ]);

    const jobCount = Math.floor(jobsPerPull * n) - Math.floor(jobsPerPull * (n - 1));
    if (jobCount === 0) continue;
    const runId = 100_000 + n;
    const jobs = [];
    const zipEntries: Record<string, Uint8Array> = {};
    for (let j = 0; j < jobCount; j++, jobLogs++) {
      const failing = (n + j) % 11 === 0;
      const name = `test (shard ${j + 1})`;
      jobs.push({ id: runId * 10 + j, run_id: runId, run_attempt: 1, workflow_name: 'CI', head_sha: sha(n, 'a0'), name, status: 'completed', conclusion: failing ? 'failure' : 'success', created_at: at(n * 60 + 1), started_at: at(n * 60 + 2), completed_at: at(n * 60 + 9), html_url: `https://github.com/bench/corpus/actions/runs/${runId}/job/${runId * 10 + j}` });
      zipEntries[`${j}_${name}.txt`] = strToU8(logText(shape.logLines, failing, next));
    }
    const runDir = path.join(dir, 'actions', 'runs', String(runId));
    await mkdir(runDir, { recursive: true });
    await writeFile(path.join(runDir, 'jobs.json'), JSON.stringify({ total_count: jobs.length, jobs }));
    await writeFile(path.join(runDir, 'logs.zip'), zipSync(zipEntries, { level: 1 }));
    const checkDir = path.join(dir, 'commits', sha(n, 'a0'));
    await mkdir(checkDir, { recursive: true });
    const checks = jobs.map((job) => ({ id: job.id, name: job.name, head_sha: job.head_sha, status: job.status, conclusion: job.conclusion, started_at: job.started_at, completed_at: job.completed_at, details_url: job.html_url }));
    await writeFile(path.join(checkDir, 'check-runs.json'), JSON.stringify({ total_count: checks.length, check_runs: checks }));
  }
  // Two pages, as `gh api --paginate` prints them.
  const half = Math.ceil(pulls.length / 2);
  await writeFile(path.join(dir, 'pulls.json'), `${JSON.stringify(pulls.slice(0, half))}\n${JSON.stringify(pulls.slice(half))}\n`);
  await writeFile(path.join(dir, 'github.json'), JSON.stringify({ repo: 'bench/corpus', exported_at: at(0) }));
  return { comments, jobLogs };
}

/** Pull requests of the big-log export, each with one job whose log is `BIG_LOG_MIB`. */
const BIG_LOG_PULLS = 4;
const BIG_LOG_MIB = 50;

/**
 * An export whose logs are few and big (4 jobs of 50 MB each): the import copies them piece by
 * piece, so its peak memory should stay near the small export's, not grow with the logs. The zips
 * are written as streams too, so the generator itself stays small.
 */
export async function generateBigLogExport(dir: string): Promise<{ logBytes: number }> {
  const pulls = [];
  let logBytes = 0;
  for (let n = 1; n <= BIG_LOG_PULLS; n++) {
    const head = sha(n, 'a0');
    pulls.push({ number: n, state: 'closed', title: `Big log ${n}`, body: '', user: user(n), draft: false, created_at: at(n * 60), updated_at: at(n * 60 + 50), closed_at: at(n * 60 + 45), merged_at: at(n * 60 + 45), merge_commit_sha: sha(n, 'c0'), head: { ref: `big-log-${n}`, sha: head }, base: { ref: 'main', sha: sha(n, 'b0') } });
    const runId = 500 + n;
    const runDir = path.join(dir, 'actions', 'runs', String(runId));
    await mkdir(runDir, { recursive: true });
    const jobs = [{ id: runId * 10, run_id: runId, run_attempt: 1, workflow_name: 'CI', head_sha: head, name: 'test', status: 'completed', conclusion: 'failure', created_at: at(n * 60 + 1), started_at: at(n * 60 + 2), completed_at: at(n * 60 + 9) }];
    await writeFile(path.join(runDir, 'jobs.json'), JSON.stringify({ total_count: 1, jobs }));
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      parts.push(chunk);
    });
    const entry = new ZipDeflate('0_test.txt', { level: 6 });
    zip.add(entry);
    let lines: string[] = [];
    for (let i = 0, size = 0; size < BIG_LOG_MIB * 1024 * 1024; i++) {
      const line = `2025-01-01T00:00:00.0000000Z test/case-${i}.test.ts > does thing ${(i * 7919) % 100_003} (${i % 97} ms)\n`;
      lines.push(line);
      size += line.length;
      logBytes += line.length;
      if (lines.length === 10_000) {
        entry.push(strToU8(lines.join('')));
        lines = [];
      }
    }
    entry.push(strToU8(`${lines.join('')}2025-01-01T00:59:59.1234567Z ##[error]Process completed with exit code 1.\n`), true);
    zip.end();
    await writeFile(path.join(runDir, 'logs.zip'), Buffer.concat(parts));
  }
  await writeFile(path.join(dir, 'pulls.json'), JSON.stringify(pulls));
  await writeFile(path.join(dir, 'github.json'), JSON.stringify({ repo: 'bench/big-logs', exported_at: at(0) }));
  return { logBytes };
}

/** Runs the import CLI in its own process: wall time, peak memory of the process tree, its summary line. */
async function runImport(exportDir: string, out: string): Promise<{ ms: number; cpuMs?: number; rssKiB?: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/import/import.ts'), 'github', exportDir, '--out', out], { stdio: ['ignore', 'pipe', 'ignore'] });
  const rss = watchTreeRss(child.pid!);
  const cpu = watchCpu(child.pid!);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const rssKiB = rss.stop();
  const cpuMs = cpu.stop();
  if (code !== 0) throw new Error(`import exited with ${code}: ${stdout}`);
  return { ms: performance.now() - started, cpuMs, rssKiB, stdout: stdout.trim() };
}

/**
 * The CPU time (user + system) a process has used, from /proc/<pid>/stat, last sampled before it
 * ended (within 100 ms). On a shared machine wall time says how busy the others were; CPU time
 * says what the import costs.
 */
function watchCpu(pid: number): { stop: () => number | undefined } {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let last: number | undefined;
  const sample = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 (utime, stime) in clock ticks of 1/100 s, counted from field 3.
      last = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // Ended between two samples.
    }
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return last;
    },
  };
}

export async function benchForgeImport(shape: ForgeCorpusShape = FORGE_CORPUS): Promise<Figure[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'ra-forge-bench-'));
  try {
    const exportDir = path.join(work, 'export');
    const generated = performance.now();
    const counts = await generateGithubExport(exportDir, shape);
    const figures: Figure[] = [
      { name: 'generated GitHub export', value: `${shape.pulls} pull requests, ${counts.comments} comments, ${counts.jobLogs} job logs in ${((performance.now() - generated) / 1000).toFixed(1)} s` },
    ];
    const out = path.join(work, 'content');
    const cold = await runImport(exportDir, out);
    figures.push({ name: 'cold import, wall time', value: `${(cold.ms / 1000).toFixed(1)} s`, target: `< ${TARGET_SECS} s`, met: cold.ms < TARGET_SECS * 1000 });
    if (cold.cpuMs !== undefined) figures.push({ name: 'cold import, CPU time (user + system)', value: `${(cold.cpuMs / 1000).toFixed(1)} s`, target: `< ${TARGET_SECS} s`, met: cold.cpuMs < TARGET_SECS * 1000 });
    if (cold.rssKiB !== undefined) {
      const mib = cold.rssKiB / 1024;
      figures.push({ name: 'cold import, peak RSS', value: `${mib.toFixed(0)} MiB`, target: `< ${TARGET_RSS_MIB} MiB`, met: mib < TARGET_RSS_MIB });
    }
    const warm = await runImport(exportDir, out);
    figures.push({ name: `re-import, same export (${/\((\d+) written/.exec(warm.stdout)?.[1] ?? '?'} written)`, value: `${(warm.ms / 1000).toFixed(1)} s wall, ${((warm.cpuMs ?? 0) / 1000).toFixed(1)} s CPU` });
    const files = (await readdir(out, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    figures.push({ name: 'archive written', value: `${files} files` });

    const bigDir = path.join(work, 'big-export');
    const { logBytes } = await generateBigLogExport(bigDir);
    const big = await runImport(bigDir, path.join(work, 'big-content'));
    const bigMib = (big.rssKiB ?? 0) / 1024;
    figures.push({
      name: `${BIG_LOG_PULLS} job logs of ${BIG_LOG_MIB} MB (${(logBytes / 1024 / 1024).toFixed(0)} MiB), peak RSS`,
      value: big.rssKiB === undefined ? 'not measured' : `${bigMib.toFixed(0)} MiB, ${((big.cpuMs ?? 0) / 1000).toFixed(1)} s CPU`,
      target: `< ${TARGET_RSS_MIB} MiB`,
      met: big.rssKiB === undefined ? undefined : bigMib < TARGET_RSS_MIB,
    });
    return figures;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { pulls: { type: 'string' } } });
  const pulls = values.pulls ? Number(values.pulls) : FORGE_CORPUS.pulls;
  const scale = pulls / FORGE_CORPUS.pulls;
  const shape = { pulls, comments: Math.round(FORGE_CORPUS.comments * scale), jobLogs: Math.round(FORGE_CORPUS.jobLogs * scale), logLines: FORGE_CORPUS.logLines };
  console.log(formatFigures(`npm run import -- github (${os.availableParallelism()} cores, Node ${process.versions.node})`, await benchForgeImport(shape)));
}
