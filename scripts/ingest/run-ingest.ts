import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { mapLimited } from '../archive/load-archive.ts';
import { folderProblem } from '../build/output-guard.ts';
import { slugify } from '../render/html.ts';
import type { Problem } from '../build/report.ts';
import { assignIds, type RecordedId } from './assign-ids.ts';
import { applyWindow, collectMerged, collectOpen, type Candidate } from './candidates.ts';
import { listBranchFolders, readTextIfExists, writeFileIfChanged } from './files.ts';
import { readDiffsTolerantly, shallowDepth, shallowNote } from './git/damaged-repository.ts';
import { removeIngestLeftovers } from './leftovers.ts';
import { readCommits, readFirstParentHistory } from './git/history.ts';
import { readMergeBases, readOpenBranches } from './git/open-branches.ts';
import { openRepository, resolveTarget, type Repository, type Target } from './git/repository.ts';
import { contentHash, emptyState, formatIngestState, INGEST_STATE_FILE, parseIngestState, type IngestState } from './ingest-state.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { retireVanishedBranches, writeArchiveConfigIfMissing, writeBranchFolder, type FolderJob } from './write-branch-folder.ts';

export interface IngestOptions {
  /** The repository to read, normal or bare. */
  repo: string;
  /** The archive to write (created when missing). */
  out: string;
  /** The branch whose history is walked; default: the branch HEAD points at. */
  target?: string;
  /** Only branches updated at or after this time. */
  since?: Date;
  /** Only the most recently updated N branches. */
  limit?: number;
  /** Where the progress bar or progress lines go; none when omitted. */
  progress?: ProgressStream;
  /** Diffs read per git process; two processes run at once. */
  chunkSize?: number;
}

export interface IngestSummary {
  /** Branches in the window. */
  branches: number;
  /** Branch folders written or changed. */
  written: number;
  unchanged: number;
  /** Open branches whose ref went away: marked closed or merged. */
  retired: number;
  notes: string[];
}

export type IngestResult = { ok: true; summary: IngestSummary } | { ok: false; problems: Problem[] };

/**
 * Bumped when what ingest writes for the same git facts changes (step wording, file layout):
 * every branch is then rewritten once.
 */
const FORMAT_VERSION = 1;
/** Two git processes at once: the benchmark machine has two cores. */
const DIFF_PROCESSES = 2;

/**
 * `npm run ingest`: reads a repository's review history and writes (or brings up to date) an
 * archive. All git reads that can fail because of the input happen before anything is written;
 * a new archive is written in a temporary folder and renamed into place.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const found = await findBranches(options);
  if (!found.ok) return found;
  const leftovers = await removeIngestLeftovers(options.out);
  if (leftovers.length) found.notes.push(`removed ${leftovers.length} temporary ${leftovers.length === 1 ? 'file' : 'files'} of an earlier ingest that was stopped`);
  const outExists = await access(options.out).then(
    () => true,
    () => false,
  );
  // A new archive is built beside its final place and renamed in at the end: nothing half-written.
  const workDir = outExists ? options.out : `${path.resolve(options.out)}.ingest-${process.pid}.tmp`;
  try {
    if (!outExists) await rm(workDir, { recursive: true, force: true });
    const summary = await writeArchive(workDir, found, options);
    if (!outExists) {
      await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
      await rename(workDir, options.out);
    }
    return { ok: true, summary };
  } catch (error) {
    // The clean-up must never replace the cause; what it cannot remove, the next run does (leftovers.ts).
    if (!outExists) await rm(workDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    throw error;
  }
}

/** What phase one learned: the repository, the branches in the window and their ids. */
interface FoundBranches {
  ok: true;
  repo: Repository;
  target: Target;
  state: IngestState;
  window: Candidate[];
  /** Keys of every open branch, in the window or not. */
  openKeys: Set<string>;
  ids: Map<string, number>;
  adopted: Map<string, string>;
  notes: string[];
  /** A shallow clone: history is missing, so nothing may be concluded from a branch's absence. */
  shallow: boolean;
}

/** Phase one: every git read that can fail because of the input, and the ids. Writes nothing. */
async function findBranches(options: IngestOptions): Promise<FoundBranches | { ok: false; problems: Problem[] }> {
  const opened = await openRepository(options.repo);
  // A file in the way of --out, or a place that takes no folders, is reported with the repository's problems.
  const unwritable = folderProblem(options.out, 'ingest writes the archive there');
  const outProblems = unwritable ? [{ file: options.out, field: '--out', message: unwritable }] : [];
  if (!opened.repo || outProblems.length) return { ok: false, problems: [...opened.problems, ...outProblems] };
  const repo = opened.repo;
  const resolved = await resolveTarget(repo, options.target);
  if (!resolved.target) return { ok: false, problems: resolved.problems };
  const target = resolved.target;
  const depth = await shallowDepth(repo, target.ref);
  const loadedState = await loadState(path.join(options.out, INGEST_STATE_FILE), target.name);
  if (!loadedState.state) return { ok: false, problems: loadedState.problems };
  const state = loadedState.state;

  const [history, openRefs] = await Promise.all([readFirstParentHistory(repo, target.ref), readOpenBranches(repo, target)]);
  const bases = await readMergeBases(repo, target, openRefs.map((ref) => ref.sha));
  const { merged, knownNumbers } = collectMerged(history, target);
  const { open, unrelated } = collectOpen(openRefs, bases, target);
  const window = applyWindow([...merged, ...open], options.since, options.limit);

  const folders = await listBranchFolders(options.out);
  const recordedFolders = new Set(Object.values(state.branches).map((entry) => entry.folder));
  const { ids, adopted, notes } = assignIds({
    requests: window,
    recorded: new Map<string, RecordedId>(Object.entries(state.branches)),
    foreignIds: [...folders].filter(([folder]) => !recordedFolders.has(folder)).map(([, id]) => id),
    knownNumbers,
  });
  notes.unshift(...unrelated.map((name) => `skipped ${name}: it shares no history with ${target.name}`));
  if (depth !== undefined) notes.unshift(shallowNote(depth, target.name));
  return { ok: true, repo, target, state, window, openKeys: new Set(open.map((c) => c.key)), ids, adopted, notes, shallow: depth !== undefined };
}

/** Phase two: write the folders of new and changed branches, retire vanished ones, save the state. */
async function writeArchive(workDir: string, found: FoundBranches, options: IngestOptions): Promise<IngestSummary> {
  const { repo, target, state, window, notes } = found;
  await mkdir(path.join(workDir, 'branches'), { recursive: true });
  // Entries as the last run left them: a branch whose diff cannot be read now keeps its folder and entry.
  const recorded = { ...state.branches };
  const jobs = await planJobs(workDir, found);
  // Ids are recorded before any folder is written, so an interrupted run cannot renumber.
  await writeFileIfChanged(path.join(workDir, INGEST_STATE_FILE), formatIngestState(state));

  const heads = await readCommits(repo, jobs.filter((job) => !job.candidate.title || !job.candidate.author).map((job) => job.candidate.head));
  const progress = options.progress ? createProgress({ label: 'ingest', total: jobs.length, stream: options.progress }) : undefined;
  await mapLimited(chunk(jobs, options.chunkSize ?? 16), DIFF_PROCESSES, async (part) => {
    const diffs = await readDiffsTolerantly(repo, part.map((job) => job.candidate.diff));
    for (const [index, job] of part.entries()) {
      const { patch, note } = diffs[index]!;
      const previous = recorded[job.candidate.key];
      if (patch === undefined && previous?.fingerprint) {
        // A folder made from a readable diff is not replaced by one without it.
        state.branches[job.candidate.key] = previous;
        notes.push(`branches/${job.folder}: ${note}; its folder was kept as it was`);
        progress?.advance();
        continue;
      }
      const result = await writeBranchFolder(workDir, job, patch ?? '', heads.get(job.candidate.head), state.branches[job.candidate.key]!);
      // Without its diff the folder is written with what is known, and tried again next time.
      state.branches[job.candidate.key] = patch === undefined ? { ...result.entry, fingerprint: '' } : result.entry;
      if (note) notes.push(`branches/${job.folder}: ${note}; it was written without its diff`);
      notes.push(...result.notes.map((text) => `branches/${job.folder}: ${text}`));
      progress?.advance();
    }
  });
  progress?.finish();

  // In a shallow clone a branch may be absent only because its history is: none is retired.
  const retired = found.shallow ? 0 : await retireVanishedBranches(repo, target, workDir, state, found.openKeys, notes);
  await writeArchiveConfigIfMissing(repo, workDir);
  await writeFileIfChanged(path.join(workDir, INGEST_STATE_FILE), formatIngestState(state));
  return { branches: window.length, written: jobs.length, unchanged: window.length - jobs.length, retired, notes };
}

/**
 * Which branches need their folder written: those whose git facts changed since the state file
 * was written, or whose folder is gone. Records every id in `state` on the way.
 */
async function planJobs(workDir: string, found: FoundBranches): Promise<FolderJob[]> {
  const { state, ids, adopted } = found;
  const jobs: FolderJob[] = [];
  for (const candidate of found.window) {
    const id = ids.get(candidate.key)!;
    const adoptedKey = adopted.get(candidate.key);
    const previous = state.branches[candidate.key] ?? (adoptedKey ? state.branches[adoptedKey] : undefined);
    if (adoptedKey) delete state.branches[adoptedKey];
    const folder = previous?.folder ?? `${id}-${folderSlug(candidate.name)}`;
    const fingerprint = fingerprintOf(candidate, id, folder);
    const upToDate = previous?.fingerprint === fingerprint && (await readTextIfExists(path.join(workDir, 'branches', folder, 'branch.md'))) !== undefined;
    if (previous && upToDate) {
      state.branches[candidate.key] = previous;
      continue;
    }
    state.branches[candidate.key] = { id, folder, name: candidate.name, head: candidate.head, updated: candidate.updated, fingerprint: '', files: previous?.files ?? {} };
    jobs.push({ candidate, id, folder, fingerprint });
  }
  return jobs;
}

async function loadState(file: string, target: string): Promise<{ state?: IngestState; problems: Problem[] }> {
  const text = await readTextIfExists(file);
  if (text === undefined) return { state: emptyState(target), problems: [] };
  const parsed = parseIngestState(text, file);
  if (parsed.state && parsed.state.target !== target) {
    return { problems: [{ file, field: 'target', message: `this archive was ingested from "${parsed.state.target}", not "${target}": pass --target ${parsed.state.target}, or ingest into another --out` }] };
  }
  return parsed;
}

/** `feature/Search box` → `feature-search-box`, short enough for any file system. */
function folderSlug(name: string): string {
  return slugify(name).slice(0, 60).replace(/-+$/, '') || 'branch';
}

/** Everything the folder's text is made from: same fingerprint, same files. */
function fingerprintOf(candidate: Candidate, id: number, folder: string): string {
  const { key, name, target, mergeCommit, head, base, updated, title, author, description } = candidate;
  return contentHash(JSON.stringify([FORMAT_VERSION, key, id, folder, name, target, mergeCommit, head, base, updated, title, author, description]));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += size) parts.push(items.slice(start, start + size));
  return parts;
}
