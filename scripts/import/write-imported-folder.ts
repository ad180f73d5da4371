import { access, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { validateYaml } from '../archive/validate.ts';
import { parseYamlSource } from '../archive/yaml-source.ts';
import type { Problem } from '../build/report.ts';
import type { ParsedPatch } from '../diff/types.ts';
import { readBranchFolder, readTextIfExists, removeFile, writeFileAtomic } from '../ingest/files.ts';
import { contentHash, ingestEntrySchema, type IngestEntry } from '../ingest/ingest-state.ts';
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
  try {
    JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, message: `is not valid JSON (${(error as Error).message}); restore it from version control or delete it (files a person changed may then be overwritten)` }] };
  }
  const { data, problems } = validateYaml(importStateSchema, parseYamlSource(text, 1), file);
  return { state: data, problems };
}

export function formatImportState(state: ImportState): string {
  const branches = Object.fromEntries(
    Object.keys(state.branches)
      .sort()
      .map((key) => {
        const entry = state.branches[key]!;
        return [key, { ...entry, files: Object.fromEntries(Object.keys(entry.files).sort().map((file) => [file, entry.files[file]!])) }];
      }),
  );
  return `${JSON.stringify({ version: state.version, branches, ...(state.authors ? { authors: state.authors } : {}) }, null, 2)}\n`;
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
  const isNew = await access(dir).then(
    () => false,
    () => true,
  );
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
  // The importer's files from last time that this export no longer has (a run's log, the discussion).
  for (const file of Object.keys(recorded)) {
    if (file === 'branch.md' || file === 'diff.patch' || file.startsWith('steps/') || folder.extra.has(file)) continue;
    deletes.push(file);
  }

  const staging = isNew ? path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.tmp`) : dir;
  if (isNew) await rm(staging, { recursive: true, force: true });
  await Promise.all([...writes].map(([file, text]) => writeFileAtomic(path.join(staging, file), text)));
  await Promise.all(deletes.map((file) => removeFile(path.join(dir, file))));
  if (isNew) await rename(staging, dir);
  return { entry: entryOf(hashes), written: writes.size + deletes.length > 0, notes: plan.notes };
}
