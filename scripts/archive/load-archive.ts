import { createHash, type Hash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { archiveConfigSchema, type ArchiveConfig } from '../schema/archive.ts';
import { branchFrontMatterSchema, type BranchFrontMatter } from '../schema/branch.ts';
import { ciFileSchema, nightlyFileSchema, type CiRun } from '../schema/ci.ts';
import { discussionFileSchema, threadSchema, type Discussion, type Thread } from '../schema/discussion.ts';
import { authorsFileSchema, type Authors } from '../schema/authors.ts';
import type { z } from 'zod';
import { stepFrontMatterSchema, type StepFrontMatter } from '../schema/step.ts';
import type { Problem } from '../build/report.ts';
import { resolveSteps } from '../build/resolve-branch.ts';
import { parseMarkdownFile as splitMarkdownFile } from './front-matter.ts';
import { listFilesSafely, listFolderSafely, readFileSafely, readTextSafely, resolveInside, SIZE_LIMITS } from './read-file-safely.ts';
import { validateYaml } from './validate.ts';
import { checkLaneLogs, LogHashes, type LaneLogFile } from './lane-logs.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';

export interface LoadedStep {
  /** Path of the step file, as shown in messages. */
  file: string;
  /** The NN of `NN-<slug>.md`. */
  order: number;
  front: StepFrontMatter;
  body: string;
  source: YamlSource;
}

export interface LoadedBranch {
  /** Path of the branch folder, as shown in messages. */
  dir: string;
  /** The folder's name, e.g. `101-gauge-checksum`. */
  folder: string;
  /** Cheap fingerprint of the folder's files (see folderSignature). */
  signature: string;
  /** Path of branch.md, as shown in messages. */
  file: string;
  front: BranchFrontMatter;
  summary: string;
  source: YamlSource;
  steps: LoadedStep[];
  /** CI runs, oldest first; empty when the branch has no ci.yaml. */
  runs: CiRun[];
  ciFile?: string;
  ciSource?: YamlSource;
  /** The lanes' log files, by `<run index>/<lane index>` (see lane-logs.ts laneKey). */
  logs: Map<string, LaneLogFile>;
  /** What reviewers said (discussion.yaml), when the branch has one; its threads are checked against the diff later. */
  discussion?: Discussion;
  discussionFile?: string;
  discussionSource?: YamlSource;
  /**
   * When discussion.yaml has problems, the threads that are valid on their own, with their index:
   * they are still checked against the diff, so one run reports every problem of the file.
   */
  validThreads?: Array<readonly [number, Thread]>;
  patchFile: string;
  /** Reads diff.patch again. The loader only hashes it: with thousands of branches, holding every diff at once would not fit in memory. */
  readPatch: () => Promise<string>;
  /** Its length in characters, to budget how many parsed diffs a build keeps at once. */
  patchChars: number;
  /** A hash of every file of the branch folder: equal digests render to equal pages. */
  digest: string;
  /** Old and new content of binary files, from `files/old/<path>` and `files/new/<path>`. */
  assets: BranchAssets;
}

/** Paths (relative to `files/old` or `files/new`) to absolute file and size. */
export interface BranchAssets {
  old: Map<string, { file: string; size: number }>;
  new: Map<string, { file: string; size: number }>;
}

async function loadAssets(dirPath: string, digest: Hash, problems: Problem[]): Promise<BranchAssets> {
  const assets: BranchAssets = { old: new Map(), new: new Map() };
  const archiveRoot = archiveRootOf(dirPath);
  if ((await listFolderSafely(archiveRoot, path.join(dirPath, 'files'), 'files/')).kind === 'problem') {
    problems.push({ file: shown(path.join(dirPath, 'files')), message: 'must be a folder (files/old/<path> and files/new/<path>) inside the archive' });
    return assets;
  }
  for (const side of ['old', 'new'] as const) {
    const root = path.join(dirPath, 'files', side);
    const listed = await listFilesSafely(archiveRoot, root, `files/${side}/`);
    if (listed.kind === 'missing') continue;
    if (listed.kind === 'problem') {
      problems.push({ file: shown(root), message: listed.message });
      continue;
    }
    problems.push(...listed.problems.map((problem) => ({ file: shown(problem.path), message: problem.message })));
    for (const relative of listed.files) {
      const file = path.join(root, ...relative.split('/'));
      const read = await readFileSafely(archiveRoot, file, SIZE_LIMITS.asset, 'a file under files/');
      if (read.kind !== 'ok') {
        if (read.kind === 'problem') problems.push({ file: shown(file), message: read.message });
        continue;
      }
      digest.update(`files/${side}/${relative}\0`).update(read.bytes);
      assets[side].set(relative, { file: read.realPath, size: read.bytes.length });
    }
  }
  return assets;
}

export interface LoadedArchive {
  config: ArchiveConfig;
  branches: LoadedBranch[];
  /** Branch folders not read at all: their files are exactly as `known` recorded them (see loadArchive). */
  unchanged: UnchangedBranch[];
  /** Jobs of `nightly/`, by file name. */
  nightly: LoadedNightlyJob[];
  /** Display names of the people in discussions (authors.yaml); empty without the file. */
  authors: Authors;
}

/** A `nightly/<job>.yaml` file: CI runs not tied to a branch. */
export interface LoadedNightlyJob {
  file: string;
  /** The file name without `.yaml`: stable, used for anchors. */
  slug: string;
  name: string;
  runs: CiRun[];
  source: YamlSource;
  /** The lanes' log files, by `<run index>/<lane index>`; paths are relative to `nightly/`. */
  logs: Map<string, LaneLogFile>;
}

const NIGHTLY_FILE = /^([\w.-]+)\.ya?ml$/;

async function loadNightly(contentDir: string, problems: Problem[], logHashes: LogHashes): Promise<LoadedNightlyJob[]> {
  const dir = path.join(contentDir, 'nightly');
  const jobs: LoadedNightlyJob[] = [];
  for (const name of (await listDir(contentDir, dir, problems)) || []) {
    if (name.startsWith('.')) continue;
    const file = shown(path.join(dir, name));
    const slug = NIGHTLY_FILE.exec(name)?.[1];
    // Folders hold the jobs' lane logs (`log:` paths are relative to nightly/).
    if (!slug && statSync(path.join(dir, name)).isDirectory()) continue;
    if (!slug) {
      problems.push({ file, message: 'is not a nightly job: nightly/ holds one <job>.yaml file of CI runs per job, e.g. nightly/fuzz.yaml' });
      continue;
    }
    const text = await readText(contentDir, path.join(dir, name), problems);
    if (typeof text !== 'string') continue;
    const { source, data } = loadYamlFile(nightlyFileSchema, text, file, problems);
    const { logs, problems: logProblems } = await checkLaneLogs(dir, file, source, logHashes);
    problems.push(...logProblems);
    if (!data) continue;
    problems.push(...checkRuns(data.runs, file, source));
    jobs.push({ file, slug, name: data.name ?? slug, runs: data.runs, source, logs });
  }
  return jobs;
}

/** A branch folder a previous build read, as it recorded it. */
export interface KnownBranch {
  signature: string;
  digest: string;
}

/** A branch folder whose files have not changed since a previous build read it. */
export interface UnchangedBranch extends KnownBranch {
  id: number;
  dir: string;
  folder: string;
}

/**
 * What every file of a folder looks like to `stat`: path, size, modification and change times and
 * inode, like git's index. Equal signatures mean untouched files, without reading them; ctime and
 * inode change whenever a file is written or replaced, even by tools that restore the mtime.
 */
export function folderSignature(dirPath: string): string {
  // Synchronous on purpose: thousands of tiny stat calls are several times faster without promises.
  const entries = readdirSync(dirPath, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const info = statSync(file, { bigint: true });
    hash.update(`${path.relative(dirPath, file)}\0${info.size}\0${info.mtimeNs}\0${info.ctimeNs}\0${info.ino}\0`);
  }
  return hash.digest('hex');
}

const BRANCH_DIR = /^(\d+)-(.+)$/;
const STEP_FILE = /^(\d+)-[^/]+\.md$/;

/** Shown paths are relative to the working directory, the way a user typed them. */
const shown = (file: string) => path.relative(process.cwd(), file) || '.';

/** A branch folder's archive: branches/<folder> sits two levels below it. */
const archiveRootOf = (branchDir: string) => path.resolve(branchDir, '..', '..');

/**
 * A text file of the archive (read-file-safely.ts): its text, undefined when it does not exist, or
 * false when it cannot be used (a folder, a FIFO, a link out of the archive, too large), with the
 * problem added to `problems`.
 */
async function readText(root: string, file: string, problems: Problem[], limit: number = SIZE_LIMITS.text): Promise<string | undefined | false> {
  const read = await readTextSafely(root, file, limit, path.basename(file));
  if (read.kind === 'ok') return read.text;
  if (read.kind === 'missing') return undefined;
  problems.push({ file: shown(file), message: read.message });
  return false;
}

/** A folder's names, sorted; undefined when it does not exist, false (with a problem) when it is not a folder. */
async function listDir(root: string, dir: string, problems: Problem[]): Promise<string[] | undefined | false> {
  const listed = await listFolderSafely(root, dir, `${path.basename(dir)}/`);
  if (listed.kind === 'ok') return listed.entries;
  if (listed.kind === 'missing') return undefined;
  problems.push({ file: shown(dir), message: listed.message });
  return false;
}

/** Parses and validates a YAML file, adding its problems (with lines) to `problems`. */
function loadYamlFile<Schema extends z.ZodType>(schema: Schema, text: string, file: string, problems: Problem[]): { source: YamlSource; data?: z.output<Schema> } {
  const source = parseYamlSource(text, 1);
  problems.push(...source.errors.map((e) => ({ file, ...e })));
  if (source.errors.length) return { source };
  const { data, problems: invalid } = validateYaml(schema, source, file);
  problems.push(...invalid);
  return { source, data };
}

/** Splits a markdown file into its front matter (parsed, with lines) and body (see front-matter.ts). */
function parseMarkdownFile(text: string, file: string): { source: YamlSource; body: string; problems: Problem[] } {
  const { source, body, problems } = splitMarkdownFile(text);
  return { source, body, problems: problems.map((p) => ({ file, ...p })) };
}

async function loadStep(stepsDir: string, name: string, problems: Problem[], digest: Hash): Promise<LoadedStep | undefined> {
  const file = shown(path.join(stepsDir, name));
  const order = Number(STEP_FILE.exec(name)?.[1]);
  const text = await readText(archiveRootOf(path.dirname(stepsDir)), path.join(stepsDir, name), problems);
  if (typeof text !== 'string') return undefined;
  digest.update(`steps/${name}\0${text}\0`);
  const { source, body, problems: syntax } = parseMarkdownFile(text, file);
  problems.push(...syntax);
  if (syntax.length) return undefined;
  const { data, problems: invalid } = validateYaml(stepFrontMatterSchema, source, file);
  problems.push(...invalid);
  return data ? { file, order, front: data, body, source } : undefined;
}

/** Reads and validates one branch folder; its problems go to `problems`. */
export async function loadBranch(dirPath: string, problems: Problem[], signature?: string, logHashes: LogHashes = new LogHashes()): Promise<LoadedBranch | undefined> {
  signature ??= folderSignature(dirPath);
  const dir = shown(dirPath);
  const file = shown(path.join(dirPath, 'branch.md'));
  const root = archiveRootOf(dirPath);
  const [branchRead, ciRead, patchRead, stepNames, discussionRead] = await Promise.all([
    readText(root, path.join(dirPath, 'branch.md'), problems),
    readText(root, path.join(dirPath, 'ci.yaml'), problems),
    readText(root, path.join(dirPath, 'diff.patch'), problems, SIZE_LIMITS.patch),
    listDir(root, path.join(dirPath, 'steps'), problems),
    readText(root, path.join(dirPath, 'discussion.yaml'), problems),
  ]);
  // A file that exists but cannot be used is already a problem; below, it counts as absent without another.
  const unusable = [branchRead, ciRead, patchRead].map((read) => read === false);
  const [branchText, ciText, patchText, discussionText] = [branchRead, ciRead, patchRead, discussionRead].map((read) => (read === false ? undefined : read));

  let branch: Pick<LoadedBranch, 'front' | 'summary' | 'source'> | undefined;
  if (branchText === undefined) {
    if (!unusable[0]) problems.push({ file, message: 'is missing: every branch folder needs a branch.md' });
  } else {
    const { source, body, problems: syntax } = parseMarkdownFile(branchText, file);
    problems.push(...syntax);
    if (!syntax.length) {
      const { data, problems: invalid } = validateYaml(branchFrontMatterSchema, source, file);
      problems.push(...invalid);
      if (data) {
        const folderId = Number(BRANCH_DIR.exec(path.basename(dirPath))?.[1]);
        if (folderId !== data.id) {
          problems.push({ file, line: source.lineOf(['id']), field: 'id', message: `is ${data.id} but the folder name starts with ${folderId}; name the folder ${data.id}-<name>` });
        }
        branch = { front: data, summary: body, source };
      }
    }
  }

  const ciFile = ciText === undefined ? undefined : shown(path.join(dirPath, 'ci.yaml'));
  const ci = ciText !== undefined && ciFile ? loadYamlFile(ciFileSchema, ciText, ciFile, problems) : undefined;
  const runs = ci?.data?.runs ?? [];
  const ciSource = ci?.source;

  const discussionFile = discussionText === undefined ? undefined : shown(path.join(dirPath, 'discussion.yaml'));
  const discussion = discussionText !== undefined && discussionFile ? loadYamlFile(discussionFileSchema, discussionText, discussionFile, problems) : undefined;
  const validThreads = discussion && !discussion.data ? threadsValidAlone(discussion.source.value) : undefined;

  const patchFile = shown(path.join(dirPath, 'diff.patch'));
  if (patchText === undefined && !unusable[2]) {
    problems.push({ file: patchFile, message: 'is missing: every branch folder needs the branch\'s unified diff as diff.patch (git diff -M base head > diff.patch)' });
  }

  const digest = createHash('sha256');
  for (const [name, text] of [['branch.md', branchText], ['ci.yaml', ciText], ['diff.patch', patchText]] as const) digest.update(`${name}\0${text ?? ''}\0`);
  const { logs, problems: logProblems } = ciFile && ciSource ? await checkLaneLogs(dirPath, ciFile, ciSource, logHashes) : { logs: new Map<string, LaneLogFile>(), problems: [] };
  problems.push(...logProblems);
  for (const [key, log] of logs) digest.update(`log ${key}\0${log.sha256}\0`);
  // Only when present, so that folders without a discussion keep the digests earlier builds recorded.
  if (discussionText !== undefined) digest.update(`discussion.yaml\0${discussionText}\0`);
  const steps: LoadedStep[] = [];
  const stepsDir = path.join(dirPath, 'steps');
  for (const name of stepNames || []) {
    if (!STEP_FILE.test(name)) {
      problems.push({ file: shown(path.join(stepsDir, name)), message: 'is not a step file: step files are named NN-<slug>.md, e.g. 01-add-parser.md' });
      continue;
    }
    const step = await loadStep(stepsDir, name, problems, digest);
    if (step) steps.push(step);
  }
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.order === steps[i - 1]!.order) {
      problems.push({ file: steps[i]!.file, message: `has the same number ${steps[i]!.order} as ${steps[i - 1]!.file}; give each step its own NN` });
    }
  }
  steps.sort((a, b) => a.order - b.order);
  const assets = await loadAssets(dirPath, digest, problems);

  // Not renderable, but its diff and evidence are still checked: every independent problem in one run.
  if (!branch && patchText !== undefined) problems.push(...resolveSteps(patchFile, patchText, steps).problems);
  if (!branch || patchText === undefined) return undefined;
  const patchPath = path.join(dirPath, 'diff.patch');
  const readPatch = async () => {
    const read = await readTextSafely(root, patchPath, SIZE_LIMITS.patch);
    if (read.kind !== 'ok') throw new Error(`${patchFile} changed while the build read it: it ${read.kind === 'missing' ? 'is gone' : read.message}`);
    return read.text;
  };
  return { dir, folder: path.basename(dirPath), signature, file, ...branch, steps, runs, ciFile, ciSource, logs, discussion: discussion?.data, discussionFile, discussionSource: discussion?.source, validThreads, patchFile, readPatch, patchChars: patchText.length, digest: digest.digest('hex'), assets };
}

/**
 * Reads and validates every file of an archive. Never throws for bad content: each problem is
 * returned with its file, field and line, so one run reports all of them.
 *
 * Branch folders in `known` (by folder name) whose signature still matches are not read: a build
 * that already rendered them needs only their id and digest, and with thousands of branches reading
 * and parsing every unchanged file is most of a no-change build.
 */
export async function loadArchive(contentDir: string, known: ReadonlyMap<string, KnownBranch> = new Map(), logHashes: LogHashes = new LogHashes()): Promise<{ archive?: LoadedArchive; problems: Problem[] }> {
  const problems: Problem[] = [];
  const configPath = path.join(contentDir, 'archive.yaml');
  const configText = await readText(contentDir, configPath, problems);
  let config: ArchiveConfig | undefined;
  if (configText === false) {
    // Not a usable file: the problem is reported.
  } else if (configText === undefined) {
    problems.push({ file: shown(configPath), message: 'is missing: an archive needs archive.yaml with at least repo and title (see content/README.md)' });
  } else {
    config = loadYamlFile(archiveConfigSchema, configText, shown(configPath), problems).data;
  }

  const branchesDir = path.join(contentDir, 'branches');
  const entries = await listDir(contentDir, branchesDir, problems);
  if (entries === undefined) {
    problems.push({ file: shown(branchesDir), message: 'is missing: put one folder per branch in branches/, named <id>-<name>' });
  }
  const branchDirs: string[] = [];
  for (const name of entries || []) {
    if (name.startsWith('.')) continue;
    const place = await resolveInside(contentDir, path.join(branchesDir, name));
    if (place.kind === 'problem') {
      problems.push({ file: shown(path.join(branchesDir, name)), message: place.message });
      continue;
    }
    if (place.kind === 'ok' && !statSync(place.realPath).isDirectory()) {
      problems.push({ file: shown(path.join(branchesDir, name)), message: 'is not a folder: branches/ holds only branch folders, named <id>-<name> (e.g. 134-fix-login); move other files elsewhere' });
      continue;
    }
    if (!BRANCH_DIR.test(name)) {
      problems.push({ file: shown(path.join(branchesDir, name)), message: 'is not a branch folder: name branch folders <id>-<name>, e.g. 134-fix-login' });
      continue;
    }
    branchDirs.push(path.join(branchesDir, name));
  }

  const unchanged: UnchangedBranch[] = [];
  const loaded = await mapLimited(branchDirs, 32, async (dir) => {
    const folder = path.basename(dir);
    const signature = folderSignature(dir);
    const previous = known.get(folder);
    if (previous?.signature === signature) {
      unchanged.push({ ...previous, id: Number(BRANCH_DIR.exec(folder)![1]), dir: shown(dir), folder });
      return undefined;
    }
    return loadBranch(dir, problems, signature, logHashes);
  });
  const branches = loaded.filter((b): b is LoadedBranch => b !== undefined);
  problems.push(...checkAcrossBranches(branches, unchanged));
  const nightly = await loadNightly(contentDir, problems, logHashes);
  const authors = await loadAuthors(contentDir, problems);
  unchanged.sort((a, b) => a.id - b.id);
  return { archive: config ? { config, branches, unchanged, nightly, authors } : undefined, problems };
}

function threadsValidAlone(value: unknown): Array<readonly [number, Thread]> {
  const threads = (value as { threads?: unknown } | undefined)?.threads;
  if (!Array.isArray(threads)) return [];
  return threads.flatMap((thread, index) => {
    const parsed = threadSchema.safeParse(thread);
    return parsed.success ? [[index, parsed.data] as const] : [];
  });
}

async function loadAuthors(contentDir: string, problems: Problem[]): Promise<Authors> {
  const file = path.join(contentDir, 'authors.yaml');
  const text = await readText(contentDir, file, problems);
  if (typeof text !== 'string') return {};
  return loadYamlFile(authorsFileSchema, text, shown(file), problems).data ?? {};
}

/** Rules that span files: unique branch ids (unchanged folders included), CI run ids and re-run references. */
export function checkAcrossBranches(branches: LoadedBranch[], unchanged: readonly UnchangedBranch[] = []): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<number, Pick<LoadedBranch, 'file'>>(unchanged.map((branch) => [branch.id, { file: path.join(branch.dir, 'branch.md') }]));
  for (const branch of branches) {
    const first = byId.get(branch.front.id);
    if (first) {
      problems.push({ file: branch.file, line: branch.source.lineOf(['id']), field: 'id', message: `${branch.front.id} is already used by ${first.file}; branch ids must be unique` });
    } else {
      byId.set(branch.front.id, branch);
    }
    if (branch.ciFile && branch.ciSource) problems.push(...checkRuns(branch.runs, branch.ciFile, branch.ciSource));
  }
  return problems;
}

/** Run ids are unique within a file, and a re-run refers to an earlier run of the same file. */
function checkRuns(runs: CiRun[], file: string, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const seenRuns = new Set<number>();
  runs.forEach((run, index) => {
    if (seenRuns.has(run.id)) {
      problems.push({ file, line: source.lineOf(['runs', index]), field: `runs[${index}].id`, message: `${run.id} appears twice; run ids must be unique within a file` });
    }
    if (run.rerun_of !== undefined && !seenRuns.has(run.rerun_of)) {
      problems.push({ file, line: source.lineOf(['runs', index, 'rerun_of']), field: `runs[${index}].rerun_of`, message: `refers to run ${run.rerun_of}, which is not an earlier run in this file (runs are listed oldest first)` });
    }
    seenRuns.add(run.id);
  });
  return problems;
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` in flight (thousands of branches, bounded file handles). */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
