import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { mapLimited } from '../../archive/load-archive.ts';
import type { Problem } from '../../build/report.ts';
import { slugify } from '../../render/html.ts';
import { defaultArchiveConfig, formatArchiveConfig, repoFromRemoteUrl } from '../../ingest/archive-config.ts';
import { listBranchFolders, readTextIfExists, writeFileAtomic, writeFileIfChanged } from '../../ingest/files.ts';
import { openRepository, type Repository } from '../../ingest/git/repository.ts';
import { contentHash } from '../../ingest/ingest-state.ts';
import { formatImportState, IMPORT_STATE_FILE, loadImportState, writeImportedFolder } from '../write-imported-folder.ts';
import type { ForgeAuthors, ForgeBranch } from './forge-branch.ts';
import { readForgeDiffs } from './forge-diffs.ts';
import { logIdentity } from './log-source.ts';
import { authorsText, forgeFolderText } from './forge-files.ts';

export interface ForgeImportInput {
  /** `github` or `gitlab`: the state keys and messages say which. */
  forge: 'github' | 'gitlab';
  branches: ForgeBranch[];
  authors: ForgeAuthors;
  /** `owner/name` from the export, for a new archive.yaml. */
  repoName?: string;
  /** Problems found while reading and mapping the export. */
  problems: Problem[];
  repo?: string;
  out: string;
}

export interface ForgeImportSummary {
  branches: number;
  written: number;
  unchanged: number;
  /** Branches written without a diff. */
  withoutDiff: number;
  notes: string[];
}

export type ForgeImportResult = { ok: true; summary: ForgeImportSummary } | { ok: false; problems: Problem[] };

/**
 * Bumped when what the importer writes for the same export changes: every branch is then
 * rewritten once.
 */
const FORMAT_VERSION = 2;

/**
 * The half of a forge import both forges share: everything that can fail is checked first (the
 * export's files, --repo, the state file), then the diffs are read and the folders written,
 * only branches whose export or diff changed.
 */
export async function importForgeBranches(input: ForgeImportInput): Promise<ForgeImportResult> {
  const problems = [...input.problems];
  let repo: Repository | undefined;
  if (input.repo !== undefined) {
    const opened = await openRepository(input.repo);
    problems.push(...opened.problems);
    repo = opened.repo;
  }
  const loaded = await loadImportState(input.out);
  problems.push(...loaded.problems);
  if (problems.length || !loaded.state) return { ok: false, problems };
  const state = loaded.state;

  const diffs = await readForgeDiffs(repo, input.branches);
  const folders = await listBranchFolders(input.out);
  const folderById = new Map([...folders].map(([folder, id]) => [id, folder]));
  const outExists = await access(input.out).then(
    () => true,
    () => false,
  );
  // A new archive is assembled beside its final place and renamed in whole.
  const workDir = outExists ? input.out : `${path.resolve(input.out)}.import-${process.pid}.tmp`;
  const notes: string[] = [];
  let written = 0;
  let withoutDiff = 0;
  try {
    if (!outExists) await rm(workDir, { recursive: true, force: true });
    await mkdir(path.join(workDir, 'branches'), { recursive: true });
    const forgeName = input.forge === 'github' ? 'pull request' : 'merge request';
    // Folders are independent: several at once keep the disk busy while another is being mapped.
    const perBranch = await mapLimited(input.branches, 8, async (branch) => {
      const diff = diffs.get(branch.key)!;
      const text = forgeFolderText(branch, diff, forgeName);
      const previous = state.branches[branch.key];
      // Ingest gives a pull request its number as id: its folder is this branch's too.
      const folder = previous?.folder ?? folderById.get(branch.id) ?? `${branch.id}-${slugify(branch.name).slice(0, 60).replace(/-+$/, '') || 'branch'}`;
      const fingerprint = contentHash(JSON.stringify([FORMAT_VERSION, folder, text.facts, text.summary, contentHash(text.patchText), [...text.extra].map(([file, t]) => [file, contentHash(t)]), [...text.logs].map(([file, source]) => [file, logIdentity(source)])]));
      const result = await writeImportedFolder(workDir, { key: branch.key, folder, ...text, fingerprint }, previous);
      state.branches[branch.key] = result.entry;
      return { written: result.written, missing: 'missing' in diff, notes: [...text.notes, ...result.notes].map((note) => `branches/${folder}: ${note}`) };
    });
    for (const one of perBranch) {
      if (one.written) written++;
      if (one.missing) withoutDiff++;
      notes.push(...one.notes);
    }
    await writeAuthors(workDir, state, input.authors, notes);
    const configFile = path.join(workDir, 'archive.yaml');
    if ((await readTextIfExists(configFile)) === undefined) {
      const repoName = input.repoName ? repoFromRemoteUrl(`https://forge/${input.repoName}`) : undefined;
      await writeFileAtomic(configFile, formatArchiveConfig(defaultArchiveConfig(repoName, `${input.forge}-import`)));
    }
    await writeFileIfChanged(path.join(workDir, IMPORT_STATE_FILE), formatImportState(state));
    if (!outExists) {
      await mkdir(path.dirname(path.resolve(input.out)), { recursive: true });
      await rename(workDir, input.out);
    }
  } catch (error) {
    if (!outExists) await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  return { ok: true, summary: { branches: input.branches.length, written, unchanged: input.branches.length - written, withoutDiff, notes } };
}

/** authors.yaml grows with every import, unless a person changed it (then it is theirs). */
async function writeAuthors(workDir: string, state: { authors?: string }, authors: ForgeAuthors, notes: string[]): Promise<void> {
  const file = path.join(workDir, 'authors.yaml');
  const current = await readTextIfExists(file);
  if (current !== undefined && state.authors !== contentHash(current)) {
    if (authors.size) notes.push('authors.yaml was written or changed by a person: kept as it is');
    return;
  }
  const text = authorsText(current, authors);
  if (text === undefined) return;
  await writeFileIfChanged(file, text);
  state.authors = contentHash(text);
}
