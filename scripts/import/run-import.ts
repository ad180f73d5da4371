import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { parsePatch } from '../diff/parse-patch.ts';
import type { Problem } from '../build/report.ts';
import { defaultArchiveConfig, formatArchiveConfig, repoFromRemoteUrl } from '../ingest/archive-config.ts';
import { listBranchFolders, readTextIfExists, writeFileAtomic } from '../ingest/files.ts';
import { readDiffBetween } from '../ingest/git/diffs.ts';
import { firstLine, openRepository, tryGit, type Repository } from '../ingest/git/repository.ts';
import { mapPikaExport, type BranchFolder } from './pika/map-export.ts';
import { readExport, type ExportPaths, type PikaExport } from './pika/read-export.ts';
import { writeWholeFolder } from './write-imported-folder.ts';

export interface ImportOptions {
  exports: ExportPaths[];
  /** Where diffs (and authors) come from when an export has no diff.patch. */
  repo?: string;
  out: string;
}

export type ImportResult = { ok: true; folders: Array<{ folder: string; written: boolean }> } | { ok: false; problems: Problem[] };

/**
 * `npm run import -- pika`: reads every export, checks it whole (files, shas, diff, evidence),
 * and only then writes, through the archive writer the forge importers use: all branches or,
 * when anything is wrong, none.
 */
export async function importPika(options: ImportOptions): Promise<ImportResult> {
  const problems: Problem[] = [];
  let repo: Repository | undefined;
  if (options.repo !== undefined) {
    const opened = await openRepository(options.repo);
    problems.push(...opened.problems);
    repo = opened.repo;
  }
  const read = await Promise.all(options.exports.map(readExport));
  const folders: Array<BranchFolder & { branchFile: string }> = [];
  let archiveRepo: string | undefined;
  for (const { export: exported, problems: readProblems } of read) {
    problems.push(...readProblems);
    if (!exported) continue;
    archiveRepo ??= repoFromRemoteUrl(exported.branch.repo);
    const result = await convertExport(exported, repo, options.repo !== undefined);
    problems.push(...result.problems);
    if (result.folder) folders.push({ ...result.folder, branchFile: exported.paths.branch });
  }
  problems.push(...(await checkIds(folders, options.out)));
  if (problems.length) return { ok: false, problems };

  const outExists = await access(options.out).then(
    () => true,
    () => false,
  );
  // A new archive is assembled beside its final place and renamed in whole.
  const workDir = outExists ? options.out : `${path.resolve(options.out)}.import-${process.pid}.tmp`;
  try {
    const written = [];
    for (const folder of folders) {
      written.push({ folder: folder.folder, written: await writeWholeFolder(workDir, folder.folder, folder.files) });
    }
    const configFile = path.join(workDir, 'archive.yaml');
    if ((await readTextIfExists(configFile)) === undefined) {
      await writeFileAtomic(configFile, formatArchiveConfig(defaultArchiveConfig(archiveRepo, 'pika-import')));
    }
    if (!outExists) {
      await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
      await rename(workDir, options.out);
    }
    return { ok: true, folders: written };
  } catch (error) {
    if (!outExists) await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** One export → one folder: its diff (given, or from the repository by its shas), then the mapping. */
async function convertExport(exported: PikaExport, repo: Repository | undefined, repoGiven: boolean): Promise<{ folder?: BranchFolder; problems: Problem[] }> {
  const { branch, sources } = exported;
  const problems: Problem[] = [];
  let author: string | undefined;
  if (repo) {
    const shas = [['head_sha', branch.head_sha], ['base_sha', branch.base_sha], ['merge_commit_sha', branch.merge_commit_sha]] as const;
    for (const [field, sha] of shas) {
      if (!sha) continue;
      const found = await tryGit(repo, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]);
      if (!found?.trim()) problems.push({ file: sources.branch.file, line: sources.branch.lineOf([field]), field, message: `commit ${sha} is not in ${repo.shownPath}` });
    }
    if (problems.length) return { problems };
    author = (await tryGit(repo, ['log', '-1', '--format=%aN', branch.head_sha]))?.trim() || undefined;
  }

  let patchText = exported.diffText;
  let patchFile = exported.paths.diff ?? '';
  if (patchText === undefined) {
    if (!repo) {
      // A --repo that failed to open has its own problem already.
      if (!repoGiven) problems.push({ file: exported.paths.branch, message: 'has no diff: pass --diff FILE, put diff.patch beside branch.json, or pass --repo PATH to read it from git' });
      return { problems };
    }
    try {
      patchText = await readDiffBetween(repo, branch.base_sha, branch.head_sha);
    } catch (error) {
      return { problems: [{ file: repo.shownPath, message: `git diff ${branch.base_sha} ${branch.head_sha} failed: ${firstLine(error)}` }] };
    }
    patchFile = `${repo.shownPath} (git diff ${branch.base_sha.slice(0, 12)} ${branch.head_sha.slice(0, 12)})`;
  }
  const parsed = parsePatch(patchText);
  if (!parsed.ok) return { problems: parsed.problems.map((p) => ({ file: patchFile, line: p.line, message: p.message })) };
  return mapPikaExport(exported, patchText, parsed.patch, author);
}

/** Ids must be unique: among the exports, and against folders of other branches already in the archive. */
async function checkIds(folders: Array<BranchFolder & { branchFile: string }>, out: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  const existing = await listBranchFolders(out);
  const byId = new Map<number, string>();
  for (const [folder, id] of existing) byId.set(id, path.join(out, 'branches', folder));
  const importing = new Map<number, string>();
  for (const folder of folders) {
    const other = importing.get(folder.id);
    if (other) {
      problems.push({ file: folder.branchFile, field: 'branch_id', message: `${folder.id} is also the id of ${other}; branch ids must be unique` });
      continue;
    }
    importing.set(folder.id, folder.branchFile);
    const taken = byId.get(folder.id);
    if (taken && path.basename(taken) !== folder.folder) {
      problems.push({ file: folder.branchFile, field: 'branch_id', message: `${folder.id} is already used by ${taken}; branch ids must be unique` });
    }
  }
  return problems;
}
