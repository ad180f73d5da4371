import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Problem } from '../build/report.ts';
import type { ParsedPatch } from '../diff/types.ts';
import { readBranchFolder, readTextIfExists, removeFile, writeAtomicWith, writeFileAtomic } from '../ingest/files.ts';
import { logIdentity, writeLog, type LogSource } from './forge/log-source.ts';
import { contentHash, formatStateFile, ingestEntrySchema, parseStateFile, sortedEntries, type IngestEntry } from '../ingest/ingest-state.ts';
import { planFolder, type BranchFacts } from '../ingest/plan-folder.ts';

/**
 * The archive writer the importers share with ingest: `planFolder` (ingest's) decides branch.md,
 * diff.patch and the generated steps, so a step or a branch.md a person edited is never
 * overwritten; the importer's own files (discussion.yaml, ci.yaml, logs) are written beside
 * them. Every file lands whole, a new folder appears whole, and a file whose text is unchanged
 * is not touched, so importing the same export twice writes nothing.
 */

/** `content/.import-state.json`: per imported branch, its folder and the hashes of what was written. */
export const IMPORT_STATE_FILE = '.import-state.json';

export const importStateSchema = z.strictObject({
  version: z.literal(1),
  branches: z.record(z.string(), ingestEntrySchema),
  /** Hash of the authors.yaml the importer wrote: a person's version is left alone. */
  authors: z.string().optional(),
});

export type ImportState = z.output<typeof importStateSchema>;

export async function loadImportState(out: string): Promise<{ state?: ImportState; problems: Problem[] }> {
  const file = path.join(out, IMPORT_STATE_FILE);
  const text = await readTextIfExists(file);
  if (text === undefined) return { state: { version: 1, branches: {} }, problems: [] };
  const { data, problems } = parseStateFile(text, file, importStateSchema, 'delete it (files a person changed may then be overwritten)');
  return { state: data, problems };
}

export function formatImportState(state: ImportState): string {
  return formatStateFile({ version: state.version, branches: sortedEntries(state.branches), ...(state.authors ? { authors: state.authors } : {}) });
}

export interface ImportedFolder {
  key: string;
  folder: string;
  facts: BranchFacts;
  summary: string;
  patchText: string;
  patch: ParsedPatch | undefined;
  /** The importer's own files, by path inside the folder. */
  extra: ReadonlyMap<string, string>;
  /** The lanes' logs, by path inside the folder: streamed from the export, never held whole. */
  logs?: ReadonlyMap<string, LogSource>;
  /** Everything the folder is made from: the same fingerprint means nothing to do. */
  fingerprint: string;
}

/**
 * Writes (or brings up to date) one imported branch folder.
 * @returns the state entry, whether any file changed, and notes (kept files)
 */
export async function writeImportedFolder(workDir: string, folder: ImportedFolder, previous: IngestEntry | undefined): Promise<{ entry: IngestEntry; written: boolean; notes: string[] }> {
  const dir = path.join(workDir, 'branches', folder.folder);
  const entryOf = (files: Record<string, string>): IngestEntry => ({ id: folder.facts.id, folder: folder.folder, name: folder.facts.name, head: folder.facts.head, updated: folder.facts.updated, fingerprint: folder.fingerprint, files });
  const isNew = !existsSync(dir);
  if (!isNew && previous?.fingerprint === folder.fingerprint && previous.folder === folder.folder) return { entry: previous, written: false, notes: [] };

  const existing = isNew ? new Map<string, string>() : await readBranchFolder(dir);
  const recorded = previous?.files ?? {};
  const plan = planFolder({ facts: folder.facts, summary: folder.summary, patchText: folder.patchText, patch: folder.patch, existing, recorded });
  const writes = new Map(plan.writes);
  const deletes = [...plan.deletes];
  const hashes: Record<string, string> = { ...plan.recorded };
  for (const [file, text] of folder.extra) {
    hashes[file] = contentHash(text);
    const current = isNew ? undefined : await readTextIfExists(path.join(dir, file));
    if (current !== text) writes.set(file, text);
  }
  // A log is recorded by what it is copied from: the same source gives the same bytes, so an
  // unchanged one is neither read nor written again.
  const logWrites = new Map<string, LogSource>();
  for (const [file, source] of folder.logs ?? []) {
    const hash = contentHash(`log ${logIdentity(source)}`);
    hashes[file] = hash;
    if (!isNew && recorded[file] === hash && existsSync(path.join(dir, file))) continue;
    logWrites.set(file, source);
  }
  // The importer's files from last time that this export no longer has (a run's log, the discussion).
  for (const file of Object.keys(recorded)) {
    if (file === 'branch.md' || file === 'diff.patch' || file.startsWith('steps/') || folder.extra.has(file) || folder.logs?.has(file)) continue;
    deletes.push(file);
  }

  if (isNew) writeNewFolder(dir, writes, logWrites);
  else await updateFolder(dir, writes, logWrites, deletes);
  return { entry: entryOf(hashes), written: writes.size + logWrites.size + deletes.length > 0, notes: plan.notes };
}

/**
 * A folder whose files are given whole (pika-git's export is the whole folder): it ends up holding
 * exactly `files`; files that differ are replaced, files it no longer has removed, and nothing is
 * touched when it already holds them.
 * @returns whether anything changed
 */
export async function writeWholeFolder(workDir: string, folder: string, files: ReadonlyMap<string, string>): Promise<boolean> {
  const dir = path.join(workDir, 'branches', folder);
  if (!existsSync(dir)) {
    writeNewFolder(dir, files, new Map());
    return true;
  }
  const present = listFolderFiles(dir);
  const writes = new Map<string, string>();
  for (const [file, text] of files) if (!present.has(file) || (await readTextIfExists(path.join(dir, file))) !== text) writes.set(file, text);
  const deletes = [...present].filter((file) => !files.has(file));
  if (writes.size === 0 && deletes.length === 0) return false;
  await updateFolder(dir, writes, new Map(), deletes);
  return true;
}

/**
 * A new folder is written under a dot-name the build ignores and renamed in whole, so its files
 * need no temporary names of their own. Written synchronously: a cold import writes thousands of
 * small files, and fs/promises' hand-offs to libuv's threads cost several times the CPU of the
 * writes (scripts/bench/forge-import-bench.ts).
 */
function writeNewFolder(dir: string, writes: ReadonlyMap<string, string>, logs: ReadonlyMap<string, LogSource>): void {
  const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  const files = [...writes.keys(), ...logs.keys()];
  for (const folderPath of new Set(['', ...files.map((file) => path.dirname(file))])) mkdirSync(path.join(staging, folderPath), { recursive: true });
  for (const [file, text] of writes) writeFileSync(path.join(staging, file), text);
  for (const [file, source] of logs) writeLog(source, path.join(staging, file));
  renameSync(staging, dir);
}

/** An existing folder: each changed file lands whole (temporary file, rename); folders a removal empties go too. */
async function updateFolder(dir: string, writes: ReadonlyMap<string, string>, logs: ReadonlyMap<string, LogSource>, deletes: readonly string[]): Promise<void> {
  await Promise.all([...writes].map(([file, text]) => writeFileAtomic(path.join(dir, file), text)));
  for (const [file, source] of logs) await writeAtomicWith(path.join(dir, file), async (temporary) => writeLog(source, temporary));
  await Promise.all(deletes.map((file) => removeFile(path.join(dir, file))));
  for (const folder of new Set(deletes.map((file) => path.dirname(file)).filter((folder) => folder !== '.'))) removeEmptyFolders(dir, folder);
}

function removeEmptyFolders(dir: string, folder: string): void {
  for (let current = folder; current !== '.' && current !== ''; current = path.dirname(current)) {
    const full = path.join(dir, current);
    if (!existsSync(full) || readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

/** Every file under a folder, by path inside it; dot-names (a person's or a killed run's temporary files) are left out. */
function listFolderFiles(dir: string): Set<string> {
  const files = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (file.split(path.sep).some((part) => part.startsWith('.'))) continue;
    files.add(file.split(path.sep).join('/'));
  }
  return files;
}
