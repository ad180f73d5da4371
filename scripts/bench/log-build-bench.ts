import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addCorpusLogs, writeLog, logLines } from './ci-log-gen.ts';
import { Random } from './code-gen.ts';
import { mib, type Figure } from './figures.ts';

/**
 * What CI logs cost a build, for `npm run bench`: the corpus built cold as it is against a copy of
 * it in which every branch with CI has runs with logs shaped like real ones (ci-log-gen.ts: 5 to
 * 15 lanes, 200 to 20,000 lines, a few of 1,000,000), built cold the same way, right after it. The
 * corpus is built again for that, instead of comparing with the bench's first cold build: that one
 * ran minutes earlier, at another load, and its CPU time alone moved from 13.7 to 9.9 s between two
 * runs of the same code, the ratio with it from 1.53× to 2.11× for the same build with logs. And a one-branch archive with a single 1,000,000-line log of about 100 MB against
 * the same branch without it, to show that a huge log is streamed: the build stays within the
 * memory budget, and what it grows by is the garbage of reading it, not the log.
 */
export interface BuildRun {
  ms: number;
  /** User and system CPU time of the build process and its children. */
  cpuMs?: number;
  peakKiB?: number;
}

export interface LogBuildBenchOptions {
  /** The corpus the bench built cold; it is copied, not changed. */
  content: string;
  work: string;
  /** The bench's cold build of `content`; none with `--logs-only`, which makes no other build. */
  cold?: BuildRun;
  build: (content: string, out: string, cache: string) => Promise<BuildRun>;
  rssTargetMiB: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () => `load average ${os.loadavg()[0]!.toFixed(1)}`;

export async function benchBuildLogs(options: LogBuildBenchOptions, say: (text: string) => void): Promise<Figure[]> {
  const { work, cold, build } = options;
  const withLogs = path.join(work, 'content-logs');
  await cp(options.content, withLogs, { recursive: true });
  say('writing CI logs shaped like real ones for every branch with CI');
  const logs = await addCorpusLogs(withLogs);
  const logBytes = await bytesUnder(path.join(withLogs, 'branches'), (file) => file.endsWith('.log'));
  say(`cold build of the corpus without logs again, right before the one with them (${load()})`);
  const without = await build(options.content, path.join(work, 'dist-without-logs'), path.join(work, 'cache-without-logs'));
  for (const dir of ['dist-without-logs', 'cache-without-logs']) await rm(path.join(work, dir), { recursive: true, force: true });
  say(`cold build of the same corpus with ${count(logs.lines)} log lines (${load()})`);
  const loadBefore = load();
  const logged = await build(withLogs, path.join(work, 'dist-logs'), path.join(work, 'cache-logs'));
  const ciPageBytes = await bytesUnder(path.join(work, 'dist-logs', 'branch'), (file) => file.endsWith(`${path.sep}ci${path.sep}index.html`));
  const textBytes = await bytesUnder(path.join(work, 'dist-logs', 'branch'), (file) => file.endsWith('.txt'));
  await rm(path.join(work, 'dist-logs'), { recursive: true, force: true });
  await rm(path.join(work, 'cache-logs'), { recursive: true, force: true });
  const ratio = logged.ms / without.ms;
  const extraMs = logged.ms - without.ms;
  const extraCpuMs = logged.cpuMs !== undefined && without.cpuMs !== undefined ? logged.cpuMs - without.cpuMs : undefined;
  const first = cold ? `; the bench's first cold build ${seconds(cold.ms)}${cold.cpuMs !== undefined ? `, ${seconds(cold.cpuMs)} CPU` : ''}` : '';
  // On a busy machine the build without logs can take longer than the one with them: then the wall
  // time says nothing of the logs, and the CPU time is the figure to read.
  const perExtraTime = `${extraMs > 0 ? `${count(logs.lines / (extraMs / 1000))}/s` : 'not known (the build with logs took no longer: the load moved more than the logs did)'}${extraCpuMs !== undefined && extraCpuMs > 0 ? `; ${count(logs.lines / (extraCpuMs / 1000))}/s of extra CPU time` : ''}`;
  const figures: Figure[] = [
    { name: 'CI logs in the corpus', value: `${count(logs.logs)} lane logs, ${count(logs.lines)} lines (${logs.huge} of 1,000,000), ${Math.round(logBytes / 2 ** 20)} MiB` },
    { name: 'cold build with logs, wall time', value: `${seconds(logged.ms)} = ${ratio.toFixed(2)}× without (${seconds(without.ms)}, built just before it${first}), ${loadBefore}`, target: '≤ 1.3× without', met: ratio <= 1.3 },
    ...(logged.cpuMs !== undefined && without.cpuMs !== undefined ? [{ name: 'cold build with logs, CPU time', value: `${seconds(logged.cpuMs)} = ${(logged.cpuMs / without.cpuMs).toFixed(2)}× without (${seconds(without.cpuMs)})` }] : []),
    { name: 'cold build with logs, peak RSS (Node and Pagefind together)', value: mib(logged.peakKiB), target: `≤ ${options.rssTargetMiB} MiB`, met: (logged.peakKiB ?? Infinity) <= options.rssTargetMiB * 1024 },
    { name: 'cold build with logs, log lines per second of extra time', value: perExtraTime },
    { name: 'CI pages, bytes per log line', value: `${(ciPageBytes / logs.lines).toFixed(0)} bytes (${Math.round(ciPageBytes / 2 ** 20)} MiB of CI pages, ${Math.round(textBytes / 2 ** 20)} MiB of whole logs as text)` },
  ];

  say('one branch with one 100 MB log of 1,000,000 lines, and without it');
  const huge = await hugeLogPair(options.content, work);
  const plain = await build(huge.plain, path.join(work, 'dist-huge-plain'), path.join(work, 'cache-huge-plain'));
  const heavy = await build(huge.logged, path.join(work, 'dist-huge'), path.join(work, 'cache-huge'));
  const grownKiB = (heavy.peakKiB ?? 0) - (plain.peakKiB ?? 0);
  figures.push(
    { name: `a ${Math.round(huge.bytes / 1e6)} MB log (1,000,000 lines) on one branch, peak RSS`, value: `${mib(heavy.peakKiB)} (${mib(plain.peakKiB)} without, ${grownKiB >= 0 ? '+' : ''}${mib(grownKiB)})`, target: `≤ ${options.rssTargetMiB} MiB`, met: (heavy.peakKiB ?? Infinity) <= options.rssTargetMiB * 1024 },
    // As above: a build with the log that took no longer says nothing of its speed (it printed 1,000,000,000 lines/s).
    { name: 'a 100 MB log, build time', value: `${seconds(heavy.ms)} (${seconds(plain.ms)} without, ${heavy.ms > plain.ms ? `${count(1_000_000 / ((heavy.ms - plain.ms) / 1000))} lines/s` : 'lines/s not known: the build with the log took no longer'})` },
  );
  for (const dir of ['dist-huge-plain', 'cache-huge-plain', 'dist-huge', 'cache-huge']) await rm(path.join(work, dir), { recursive: true, force: true });
  return figures;
}

/** One corpus branch twice: as it is without its ci.yaml, and with one run whose only lane has a 1,000,000-line log. */
async function hugeLogPair(corpus: string, work: string): Promise<{ plain: string; logged: string; bytes: number }> {
  const folder = (await readdir(path.join(corpus, 'branches'))).sort((a, b) => parseInt(a) - parseInt(b))[0]!;
  const archives = { plain: path.join(work, 'huge-plain'), logged: path.join(work, 'huge-logged') };
  for (const dir of Object.values(archives)) {
    await mkdir(path.join(dir, 'branches'), { recursive: true });
    await cp(path.join(corpus, 'archive.yaml'), path.join(dir, 'archive.yaml'));
    await cp(path.join(corpus, 'branches', folder), path.join(dir, 'branches', folder), { recursive: true });
    await rm(path.join(dir, 'branches', folder, 'ci.yaml'), { force: true });
    await rm(path.join(dir, 'branches', folder, 'discussion.yaml'), { force: true });
  }
  const branch = path.join(archives.logged, 'branches', folder);
  await writeLog(path.join(branch, 'ci', '1', 'huge.log'), logLines(new Random(100), 1_000_000, true));
  await writeFile(path.join(branch, 'ci.yaml'), ['runs:', '  - id: 1', '    status: failed', `    head: ${'ab'.repeat(20)}`, '    queued_at: 2026-11-12T08:00:00Z', '    lanes:', '      - { name: huge, status: failed, duration_secs: 900, log: ci/1/huge.log }', ''].join('\n'));
  return { ...archives, bytes: (await stat(path.join(branch, 'ci', '1', 'huge.log'))).size };
}

async function bytesUnder(dir: string, wanted: (file: string) => boolean): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && wanted(file)) bytes += (await stat(file)).size;
  }
  return bytes;
}
