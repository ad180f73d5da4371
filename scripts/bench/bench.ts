/**
 * `npm run bench`: builds a reproducible corpus of real-world-shaped branch diffs (or ingests a
 * real repository's history) and measures, in one run, our builds (cold, warm into the same
 * --out, warm into a new --out with the cache kept, incremental) and three reference points on
 * the same diffs: diff2html-cli once per branch diff, @pierre/diffs' server rendering, and a plain
 * single-threaded Shiki pass. Figures are printed beside their targets. A benchmark, not a test:
 * it asserts nothing and never fails on a number.
 *
 *   npm run bench                          the default corpus (443 branches, about 470,000 diff lines)
 *   npm run bench -- --branches 400 --lines 300000
 *   npm run bench -- --no-peers            our figures only (skips the peers)
 *   npm run bench -- --branches 10000      a scale run: also builds a tenth of the corpus, to show
 *                                          time per 1,000 branches stays flat; peers are skipped
 *   npm run bench -- --repo PATH [--target BRANCH]
 *                                          the same figures on that repository's history, ingested
 *                                          with `npm run ingest` into a scratch archive
 * Then `npm run ingest` on a generated repository and `npm run import -- github` on a generated
 * export (scripts/bench/forge-import-bench.ts).
 */
import { spawn } from 'node:child_process';
import { appendFile, copyFile, cp, link, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePatch } from '../diff/parse-patch.ts';
import { measureLogRendering, type LogFigures } from './log-bench.ts';
import { benchBuildLogs } from './log-build-bench.ts';
import { generateCorpus, type CorpusSummary } from './corpus.ts';
import { addDiscussions, bigDiscussionPair } from './discussion-corpus.ts';
import { formatFigures, type Figure } from './figures.ts';
import { benchForgeImport } from './forge-import-bench.ts';
import { benchIngest } from './ingest-bench.ts';
import { readerFigures } from './reader-bench.ts';
import { nonEmptyDiffs } from './peer-diffs.ts';
import { ingestArgs, summarizeArchive } from './real-history.ts';
import { watchTreeRss } from './tree-rss.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(PROJECT_ROOT, 'node_modules/.bin');

interface Run {
  ms: number;
  stdout: string;
  /** Peak RSS of the child (all its threads), from GNU time when available. */
  maxRssKiB?: number;
  /** Peak of the child's and its own children's RSS summed (e.g. Node and Pagefind), sampled. */
  treeRssKiB?: number;
  /**
   * CPU time (user + system) of the child and the children it waited for, from GNU time. On a
   * machine shared with other work, wall time grows with the load and CPU time much less.
   */
  cpuMs?: number;
}

/** Runs a command with the pinned Node first on PATH; rejects when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const timeBin = '/usr/bin/time';
  const useTime = process.platform === 'linux';
  const [file, argv] = useTime ? [timeBin, ['-f', 'MAXRSS %M CPU %U %S', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tree = watchTreeRss(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const treeRssKiB = tree.stop();
      const rss = /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr.slice(-3000)}`));
      else resolve({ ms, stdout, maxRssKiB: rss ? Number(rss[1]) : undefined, treeRssKiB, cpuMs: rss ? 1000 * (Number(rss[2]) + Number(rss[3])) : undefined });
    });
  });
}

const SCALE_RUN_FROM = 2000;

/** `npm run ingest` with its arguments, measured like a build. */
function runIngest(args: string[]): Promise<Run> {
  return run(process.execPath, args);
}

/** The larger of the two peak figures: the sampled tree sum can miss a short spike GNU time sees. */
const peakOf = (run: Run) => (run.maxRssKiB === undefined && run.treeRssKiB === undefined ? undefined : Math.max(run.maxRssKiB ?? 0, run.treeRssKiB ?? 0));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kib: number | undefined) => (kib === undefined ? 'n/a' : `${Math.round(kib / 1024)} MiB`);
const ratio = (value: number) => `${value.toFixed(2)}×`;
/** CPU time beside wall time, when GNU time gave it. */
const withCpu = (run: { ms: number; cpuMs?: number }) => (run.cpuMs === undefined ? seconds(run.ms) : `${seconds(run.ms)} (${seconds(run.cpuMs)} CPU)`);
/** The machine's 1-minute load average: beside every timing, since the machine may be shared. */
const loadNow = () => os.loadavg()[0]!.toFixed(1);
const perSecond = (count: number, ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;

async function htmlBytes(dir: string): Promise<{ pages: number; branchBytes: number; largest: { file: string; bytes: number; gzipped: number; elements: number } }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let pages = 0;
  let branchBytes = 0;
  let largest = { file: '', bytes: 0, gzipped: 0, elements: 0 };
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    pages++;
    const file = path.join(entry.parentPath, entry.name);
    if (!file.includes(`${path.sep}branch${path.sep}`)) continue;
    const { size } = await stat(file);
    branchBytes += size;
    if (size > largest.bytes) largest = { file, bytes: size, gzipped: 0, elements: 0 };
  }
  if (largest.file) {
    const page = await readFile(largest.file);
    largest.gzipped = gzipSync(page).length;
    // Start tags: what a browser makes into elements (the DOM size a reader's machine must hold).
    largest.elements = page.toString('utf8').match(/<[a-zA-Z]/g)?.length ?? 0;
  }
  return { pages, branchBytes, largest };
}

/** Diff lines of one branch's patch (lines inside hunks). */
async function patchLines(content: string, branchId: string): Promise<number> {
  const name = (await readdir(path.join(content, 'branches'))).find((entry) => entry.startsWith(`${branchId}-`));
  if (!name) return 0;
  const parsed = parsePatch(await readFile(path.join(content, 'branches', name, 'diff.patch'), 'utf8'));
  return parsed.ok ? parsed.patch.files.reduce((sum, file) => sum + file.hunks.reduce((s, h) => s + h.lines.length, 0), 0) : 0;
}

/**
 * Node's flags from `npm run build` (package.json), so the bench measures the build as users run it.
 * The heap cap is one: the build's live heap is small, and without a cap V8 lets garbage pile up
 * to gigabytes on a large archive before it collects. The young generation's cap is the other: each
 * of the build's threads (main, two highlighting workers, Astro) grew its own to ~100 MB of mostly
 * garbage; at 8 MB per semi-space the pika history's peak fell from 1,183 to 860 MiB at the same CPU time.
 */
const BUILD_NODE_FLAGS = (JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build.match(/--[\w-]+(?:=\S+)?/g) ?? [];

async function build(content: string, out: string, cache: string, statsFile: string) {
  const result = await run(process.execPath, [...BUILD_NODE_FLAGS, path.join(PROJECT_ROOT, 'scripts/build/build.ts'), '--content', content, '--out', out, '--cache', cache], {
    REVIEW_ARCHIVE_STATS: statsFile,
  });
  return result;
}

/** An archive of the corpus's first `count` branches (linked, not copied), for the scale comparison. */
async function corpusPrefix(content: string, dir: string, count: number): Promise<void> {
  await mkdir(path.join(dir, 'branches'), { recursive: true });
  await copyFile(path.join(content, 'archive.yaml'), path.join(dir, 'archive.yaml'));
  const names = (await readdir(path.join(content, 'branches'))).sort((a, b) => parseInt(a) - parseInt(b)).slice(0, count);
  // Hard links, not symbolic ones: the build never reads a symbolic link out of its archive.
  for (const name of names) await linkFiles(path.join(content, 'branches', name), path.join(dir, 'branches', name));
}

/** Recreates the folder `from` at `to`, each file a hard link (no bytes copied). */
async function linkFiles(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    await (entry.isDirectory() ? linkFiles : link)(path.join(from, entry.name), path.join(to, entry.name));
  }
}

async function diff2htmlOncePerDiff(content: string, outDir: string): Promise<{ ms: number; cpuMs?: number; maxRssKiB?: number }> {
  const cli = path.join(PROJECT_ROOT, 'node_modules/diff2html-cli/bin/diff2html.js');
  let ms = 0;
  let cpuMs: number | undefined;
  let maxRssKiB: number | undefined;
  for (const patch of await nonEmptyDiffs(content)) {
    const name = path.basename(path.dirname(patch));
    const result = await run(process.execPath, [cli, '-i', 'file', '-F', path.join(outDir, `${name}.html`), '--', patch]);
    ms += result.ms;
    if (result.cpuMs !== undefined) cpuMs = (cpuMs ?? 0) + result.cpuMs;
    if (result.maxRssKiB !== undefined) maxRssKiB = Math.max(maxRssKiB ?? 0, result.maxRssKiB);
  }
  return { ms, cpuMs, maxRssKiB };
}

async function pierreDiffs(content: string) {
  const result = await run(process.execPath, [path.join(PROJECT_ROOT, 'scripts/bench/pierre-bench.ts'), content]);
  return { ...(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ms: number; diffs: number; htmlBytes: number }), peakKiB: peakOf(result), cpuMs: result.cpuMs };
}

async function highlightOnly(mode: 'shiki' | 'ours', content: string) {
  const result = await run(process.execPath, [path.join(PROJECT_ROOT, 'scripts/bench/highlight-bench.ts'), mode, content]);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ms: number; lines: number; maxRssKiB: number };
}

/** The log renderer's own figures (the cold build with the corpus's logs is log-build-bench.ts). */
function logFigures(measured: LogFigures[]): Figure[] {
  return measured.flatMap((figure) => [
    { name: `${figure.name}, log lines per second`, value: `${perSecond(figure.lines, figure.ms)} (${seconds(figure.ms)})` },
    { name: `${figure.name}, page bytes per shown log line`, value: `${Math.round(figure.bytesPerShownLine)} bytes` },
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      branches: { type: 'string', default: '443' },
      lines: { type: 'string' },
      'no-peers': { type: 'boolean', default: false },
      /** Measure the peers in a scale run too (diff2html-cli once per diff takes about 30 min for 10,000). */
      peers: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      /** A repository whose history is ingested and measured instead of the generated corpus. */
      repo: { type: 'string' },
      /** With --repo: the branch reviews were merged into (ingest's --target). */
      target: { type: 'string' },
    },
  });
  const branches = Number(values.branches);
  // From this size on, a run is about scale: how time and memory grow with the archive.
  const scaleRun = branches >= SCALE_RUN_FROM;
  const withPeers = scaleRun ? values.peers : !values['no-peers'];
  // The default is sized after the real history the targets were set on (443 merges, ~520,000 diff
  // lines); the generator lands a little under its aim, at about 466,000.
  const targetLines = values.lines ? Number(values.lines) : Math.round(branches * (520_000 / 443));
  const work = await mkdtemp(path.join(os.tmpdir(), 'review-archive-bench-'));
  const content = path.join(work, 'content');
  const say = (text: string) => process.stderr.write(`bench: ${text}\n`);

  try {
    let corpus: CorpusSummary;
    let ingested: { ms: number; peakKiB?: number; emptyDiffs: number } | undefined;
    if (values.repo) {
      say(`ingesting ${values.repo} into ${content}`);
      const run = await runIngest(ingestArgs(PROJECT_ROOT, values.repo, content, values.target));
      const summary = await summarizeArchive(content);
      corpus = summary;
      ingested = { ms: run.ms, peakKiB: peakOf(run), emptyDiffs: summary.emptyDiffs };
    } else {
      say(`generating ${branches} branches (~${targetLines.toLocaleString('en-US')} diff lines) in ${work}`);
      corpus = await generateCorpus({ dir: content, branches, targetLines });
    }
    // Discussions on a share of a generated corpus, and the same corpus without them to print their
    // cost (not in scale runs, where it would be one more cold build of thousands of branches).
    const plainContent = path.join(work, 'content-plain');
    const compareDiscussions = !scaleRun && !values.repo;
    if (compareDiscussions) await cp(content, plainContent, { recursive: true });
    const discussions = values.repo ? undefined : await addDiscussions({ dir: content, share: 0.3 });
    let out = path.join(work, 'dist');
    const cache = path.join(work, 'cache');
    const stats = path.join(work, 'stats.json');

    let tenth: { branches: number; ms: number; maxRssKiB?: number } | undefined;
    if (scaleRun) {
      const count = Math.round(branches / 10);
      say(`cold build of the first ${count} branches (a tenth, for the growth figure)`);
      const prefix = path.join(work, 'tenth');
      await corpusPrefix(content, prefix, count);
      const run = await build(prefix, path.join(work, 'tenth-dist'), path.join(work, 'tenth-cache'), stats);
      tenth = { branches: count, ms: run.ms, maxRssKiB: peakOf(run) };
      await rm(path.join(work, 'tenth-dist'), { recursive: true, force: true });
      await rm(path.join(work, 'tenth-cache'), { recursive: true, force: true });
    }

    const loadAtStart = loadNow();
    say(`cold build (load average ${loadAtStart})`);
    const cold = await build(content, out, cache, stats);
    const loadAfterCold = loadNow();
    const { pages, branchBytes, largest } = await htmlBytes(out);
    const feedPage = (await stat(path.join(out, 'index.html'))).size;
    const largestLines = await patchLines(content, path.basename(path.dirname(largest.file)));
    // Measured in the cold build's site: the warm build into a new --out below deletes this one.
    const reader = largest.file ? await readerFigures(largest.file, out) : [];
    say('warm build (nothing changed)');
    const warm = await build(content, out, cache, stats);
    // As a CI job that restores only the cache: the last site is gone, the pages come from the cache.
    say('warm build into a new --out, the cache kept (nothing changed)');
    await rm(out, { recursive: true, force: true });
    out = path.join(work, 'dist-new');
    const warmNewOut = await build(content, out, cache, stats);
    say('incremental build (one step file edited)');
    const firstBranch = (await readdir(path.join(content, 'branches'))).sort()[0]!;
    const stepsDir = path.join(content, 'branches', firstBranch, 'steps');
    const stepFile = (await readdir(stepsDir).catch(() => [] as string[])).sort()[0];
    // A real history's steps are the ones `npm run ingest` generated; a branch without steps gets its summary edited.
    const edited = stepFile ? path.join(stepsDir, stepFile) : path.join(content, 'branches', firstBranch, 'branch.md');
    await appendFile(edited, '\nOne more sentence, edited for the benchmark.\n');
    const incremental = await build(content, out, cache, stats);

    // A warm or incremental build brings the whole site up to date: its rates are the site's lines and pages over its time.
    const throughput = (ms: number) => `${perSecond(corpus.diffLines, ms)} diff lines, ${perSecond(pages, ms)} pages`;
    // 1 GiB is the target for the default corpus and real histories; 10,000 branches may use 1.5 GiB.
    const rssTargetMiB = branches >= 10_000 && !values.repo ? 1536 : 1024;
    const ofCold = (ms: number) => `${seconds(ms)} = ${Math.round((100 * ms) / cold.ms)} % of cold`;
    const figures: Figure[] = [
      { name: values.repo ? `history of ${values.repo}` : 'corpus', value: `${corpus.branches} branches, ${corpus.files.toLocaleString('en-US')} files, ${corpus.diffLines.toLocaleString('en-US')} diff lines` },
      ...(ingested ? [{ name: 'npm run ingest of it, wall time', value: `${seconds(ingested.ms)} (peak ${mib(ingested.peakKiB)}, ${ingested.emptyDiffs} empty diffs)` }] : []),
      { name: 'load average (1 min) at the start, after the cold build', value: `${loadAtStart}, ${loadAfterCold} (${os.availableParallelism()} cores)` },
      { name: 'cold build, wall time', value: withCpu(cold) },
      { name: 'cold build, diff lines per second', value: perSecond(corpus.diffLines, cold.ms) },
      { name: 'cold build, pages per second', value: perSecond(pages, cold.ms) },
      { name: 'cold build, time per 1,000 branches', value: seconds(cold.ms / (corpus.branches / 1000)) },
      { name: 'cold build, peak RSS (largest process)', value: mib(cold.maxRssKiB) },
      { name: 'cold build, peak RSS (Node and Pagefind together)', value: mib(peakOf(cold)), target: `≤ ${rssTargetMiB} MiB`, met: (peakOf(cold) ?? Infinity) <= rssTargetMiB * 1024 },
      { name: 'warm build (nothing changed), wall time', value: ofCold(warm.ms), target: '≤ 10 % of cold', met: warm.ms <= 0.1 * cold.ms },
      { name: 'warm build, per second (whole site)', value: throughput(warm.ms) },
      { name: 'warm build, peak RSS', value: mib(peakOf(warm)) },
      { name: 'warm build, new --out, cache kept, wall time', value: ofCold(warmNewOut.ms), target: '≤ 10 % of cold', met: warmNewOut.ms <= 0.1 * cold.ms },
      { name: 'warm build, new --out, per second (whole site)', value: throughput(warmNewOut.ms) },
      { name: 'warm build, new --out, peak RSS', value: mib(peakOf(warmNewOut)) },
      { name: 'incremental build, the file edited', value: path.relative(content, edited) },
      { name: 'incremental build (one step edited), wall time', value: ofCold(incremental.ms), target: '≤ 10 % of cold', met: incremental.ms <= 0.1 * cold.ms },
      { name: 'incremental build, per second (whole site)', value: throughput(incremental.ms) },
      { name: 'incremental build, peak RSS', value: mib(peakOf(incremental)) },
      { name: 'HTML per diff line (branch pages, both themes)', value: `${Math.round(branchBytes / corpus.diffLines)} bytes`, target: '≤ 250 bytes', met: branchBytes / corpus.diffLines <= 250 },
      { name: 'largest branch page', value: `${largestLines.toLocaleString('en-US')} diff lines: ${(largest.bytes / 1048576).toFixed(1)} MiB, ${(largest.gzipped / 1048576).toFixed(1)} MiB gzipped, ${largest.elements.toLocaleString('en-US')} elements` },
      { name: 'first feed page', value: `${Math.round(feedPage / 1024)} KiB` },
    ];
    figures.push(...reader);
    if (discussions) figures.push({ name: 'discussions', value: `${discussions.branches} branches, ${discussions.comments.toLocaleString('en-US')} comments` });
    if (compareDiscussions) {
      say('cold build of the same corpus without discussions');
      const plain = await build(plainContent, path.join(work, 'dist-plain'), path.join(work, 'cache-plain'), stats);
      figures.push({ name: 'cold build, cost of the discussions', value: `${seconds(cold.ms - plain.ms)} (${seconds(plain.ms)} without them)` });
      say('one branch with 2,000 comments, and without them');
      const pair = await bigDiscussionPair(plainContent, work, 2000);
      const alone = await build(pair.plain, path.join(work, 'dist-one'), path.join(work, 'cache-one'), stats);
      const discussed = await build(pair.discussed, path.join(work, 'dist-one-discussed'), path.join(work, 'cache-one-discussed'), stats);
      const extra = discussed.ms - alone.ms;
      figures.push({ name: `a branch with 2,000 comments (${pair.threads} threads), extra build time`, value: `${seconds(extra)} (${seconds(alone.ms)} without)`, target: '< 1 s', met: extra < 1000 });
      // Wall time on a shared machine swings by seconds; CPU time is steadier, and the load says how shared it was.
      if (discussed.cpuMs !== undefined && alone.cpuMs !== undefined) figures.push({ name: 'a branch with 2,000 comments, extra CPU time', value: `${seconds(discussed.cpuMs - alone.cpuMs)} (${seconds(alone.cpuMs)} without, load average ${os.loadavg()[0]!.toFixed(1)})` });
    }
    if (!scaleRun && !values.repo) {
      const buildRun = async (dir: string, distDir: string, cacheDir: string) => {
        const result = await build(dir, distDir, cacheDir, stats);
        return { ms: result.ms, cpuMs: result.cpuMs, peakKiB: peakOf(result) };
      };
      figures.push(...(await benchBuildLogs({ content, work, cold: { ms: cold.ms, cpuMs: cold.cpuMs, peakKiB: peakOf(cold) }, build: buildRun, rssTargetMiB }, say)));
    }
    if (tenth) {
      const perThousandTenth = tenth.ms / (tenth.branches / 1000);
      const perThousandAll = cold.ms / (corpus.branches / 1000);
      const growth = perThousandAll / perThousandTenth;
      figures.push(
        { name: `cold build of ${tenth.branches} branches, time per 1,000`, value: `${seconds(perThousandTenth)} (${seconds(tenth.ms)} in all, peak ${mib(tenth.maxRssKiB)})` },
        { name: `time per 1,000 branches, ${corpus.branches} vs ${tenth.branches}`, value: ratio(growth), target: '≤ 1.25× (linear)', met: growth <= 1.25 },
      );
    }

    if (withPeers) {
      say('our highlighter alone (workers, no cache)');
      const oursHighlight = await highlightOnly('ours', content);
      say('plain Shiki codeToHtml, single-threaded, same lines and themes');
      const shiki = await highlightOnly('shiki', content);
      say(`diff2html-cli once per branch diff (${corpus.branches} runs)`);
      const d2hDir = path.join(work, 'diff2html');
      await mkdir(d2hDir, { recursive: true });
      const d2h = await diff2htmlOncePerDiff(content, d2hDir);
      say('@pierre/diffs preloadPatchFile, serially in one process, its default dual theme');
      const pierre = await pierreDiffs(content);
      const throughputRatio = shiki.ms / oursHighlight.ms;
      figures.push(
        { name: 'diff2html-cli once per diff, wall time', value: withCpu(d2h) },
        { name: 'diff2html-cli, peak RSS of one run', value: mib(d2h.maxRssKiB) },
        { name: 'cold build vs diff2html-cli', value: `${ratio(cold.ms / d2h.ms)} its time`, target: '≤ 0.30×', met: cold.ms / d2h.ms <= 0.3 },
        { name: '@pierre/diffs server rendering, wall time', value: `${seconds(pierre.ms)} (${pierre.diffs} diffs, ${perSecond(corpus.diffLines, pierre.ms)} diff lines, peak ${mib(pierre.peakKiB)}${pierre.cpuMs === undefined ? '' : `, ${seconds(pierre.cpuMs)} CPU for the whole process`})` },
        { name: '@pierre/diffs, HTML per diff line', value: `${Math.round(pierre.htmlBytes / corpus.diffLines)} bytes` },
        { name: 'cold build vs @pierre/diffs', value: `${ratio(cold.ms / pierre.ms)} its time`, target: '≤ 0.55×', met: cold.ms / pierre.ms <= 0.55 },
        // Context for a shared machine: CPU time does not grow with the load as wall time does, but it
        // counts both of our cores' work against one core of each peer, so it is not the target.
        ...(cold.cpuMs && d2h.cpuMs && pierre.cpuMs ? [{ name: 'cold build CPU vs diff2html-cli, vs @pierre/diffs CPU', value: `${ratio(cold.cpuMs / d2h.cpuMs)}, ${ratio(cold.cpuMs / pierre.cpuMs)}` }] : []),
        { name: 'load average (1 min) after the peers', value: loadNow() },
        { name: 'plain Shiki pass, wall time', value: `${seconds(shiki.ms)} (${perSecond(shiki.lines, shiki.ms)} lines)` },
        { name: 'our highlighting, wall time', value: `${seconds(oursHighlight.ms)} (${perSecond(oursHighlight.lines, oursHighlight.ms)} lines, ${os.availableParallelism()} workers)` },
        { name: 'highlighting throughput vs plain Shiki', value: ratio(throughputRatio), target: '≥ 2×', met: throughputRatio >= 2 },
      );
    }
    console.log(formatFigures(`review-archive bench (${os.availableParallelism()} cores, Node ${process.versions.node})`, figures));
    // The log renderer's and the importer's figures do not depend on the history measured.
    if (!scaleRun && !values.repo) {
      say('CI log rendering (scripts/bench/log-bench.ts)');
      console.log(formatFigures('\nCI logs', logFigures(await measureLogRendering())));
    }
    // A real history's ingest was timed above; the generated repository stands for one otherwise.
    if (!scaleRun && !values.repo) {
      say('ingest of a generated repository with 450 merges');
      console.log(formatFigures('\nnpm run ingest', await benchIngest({})));
    }
    if (!scaleRun && !values.repo) {
      say('import of a generated GitHub export (2,000 pull requests, 30,000 comments, 5,000 job logs)');
      console.log(formatFigures('\nnpm run import -- github', await benchForgeImport()));
    }
  } finally {
    if (!values.keep) await rm(work, { recursive: true, force: true });
    else say(`kept ${work}`);
  }
}

await main();
