import { access, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { parsePatch } from '../diff/parse-patch.ts';
import type { ParsedPatch } from '../diff/types.ts';
import { defaultArchiveConfig, formatArchiveConfig, repoFromRemoteUrl } from './archive-config.ts';
import { factsOf, type Candidate } from './candidates.ts';
import { readBranchFolder, readTextIfExists, removeFile, writeFileAtomic } from './files.ts';
import type { CommitInfo } from './git/history.ts';
import { isMergedInto } from './git/open-branches.ts';
import { tryGit, type Repository, type Target } from './git/repository.ts';
import { contentHash, type IngestEntry, type IngestState } from './ingest-state.ts';
import { planFolder, planStateChange, type FolderPlan } from './plan-folder.ts';

/** The file-system side of ingest: one branch folder at a time, every file written whole. */

export interface FolderJob {
  candidate: Candidate;
  id: number;
  folder: string;
  fingerprint: string;
}

/**
 * Writes (or brings up to date) one branch folder from its diff, and returns the state entry
 * that records what was written.
 */
export async function writeBranchFolder(
  workDir: string,
  job: FolderJob,
  patchText: string,
  headCommit: CommitInfo | undefined,
  entry: IngestEntry,
): Promise<{ entry: IngestEntry; notes: string[] }> {
  const { candidate, id, folder } = job;
  const parsed = parsePatch(patchText);
  const notes: string[] = [];
  let patch: ParsedPatch | undefined;
  if (parsed.ok) patch = parsed.patch;
  else notes.push(`the diff does not parse (line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}); no steps were generated`);

  const dir = path.join(workDir, 'branches', folder);
  const isNew = await access(dir).then(
    () => false,
    () => true,
  );
  const existing = isNew ? new Map<string, string>() : await readBranchFolder(dir);
  const plan = planFolder({ facts: factsOf(candidate, id, headCommit), summary: candidate.description, patchText, patch, existing, recorded: entry.files });
  await applyFolderPlan(dir, plan, isNew);
  notes.push(...plan.notes);
  return { entry: { id, folder, name: candidate.name, head: candidate.head, updated: candidate.updated, fingerprint: job.fingerprint, files: plan.recorded }, notes };
}

/** A new folder is assembled under a dot-name (which the build ignores) and renamed in whole. */
async function applyFolderPlan(dir: string, plan: FolderPlan, isNew: boolean): Promise<void> {
  const staging = isNew ? path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.tmp`) : dir;
  if (isNew) await rm(staging, { recursive: true, force: true });
  await Promise.all([...plan.writes].map(([file, text]) => writeFileAtomic(path.join(staging, file), text)));
  await Promise.all(plan.deletes.map((file) => removeFile(path.join(dir, file))));
  if (isNew) await rename(staging, dir);
}

/**
 * Open branches recorded earlier whose ref is gone: merged by a fast-forward (their head is in
 * the target's history) or closed without merging. Their pages stay, with the new state.
 * @returns how many branches were retired
 */
export async function retireVanishedBranches(repo: Repository, target: Target, workDir: string, state: IngestState, stillOpen: ReadonlySet<string>, notes: string[]): Promise<number> {
  const vanished = Object.entries(state.branches).filter(([key]) => key.startsWith('open:') && !stillOpen.has(key));
  for (const [key, entry] of vanished) {
    const merged = await isMergedInto(repo, entry.head, target);
    const file = path.join(workDir, 'branches', entry.folder, 'branch.md');
    const current = await readTextIfExists(file);
    const files = { ...entry.files };
    if (current !== undefined) {
      const change = merged ? ({ state: 'merged', merge_commit: entry.head } as const) : ({ state: 'closed' } as const);
      const { text, ours } = planStateChange(current, entry.files['branch.md'], change);
      if (text === undefined) notes.push(`branches/${entry.folder}/branch.md: its front matter does not parse, so it could not be marked ${change.state}`);
      else if (text !== current) await writeFileAtomic(file, text);
      if (text !== undefined && ours) files['branch.md'] = contentHash(text);
    }
    delete state.branches[key];
    state.branches[`${merged ? 'ff' : 'closed'}:${entry.name}@${entry.head}`] = { ...entry, files };
  }
  return vanished.length;
}

/** archive.yaml for a new archive; an existing one is never touched. */
export async function writeArchiveConfigIfMissing(repo: Repository, workDir: string): Promise<void> {
  const file = path.join(workDir, 'archive.yaml');
  if ((await readTextIfExists(file)) !== undefined) return;
  const remote = (await tryGit(repo, ['config', '--get', 'remote.origin.url']))?.trim();
  const config = defaultArchiveConfig(remote ? repoFromRemoteUrl(remote) : undefined, repo.name);
  await writeFileAtomic(file, formatArchiveConfig(config));
}
