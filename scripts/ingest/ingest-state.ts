import { createHash } from 'node:crypto';
import { z } from 'zod';
import { validateYaml } from '../archive/validate.ts';
import { parseYamlSource } from '../archive/yaml-source.ts';
import type { Problem } from '../build/report.ts';

/**
 * `content/.ingest-state.json`: what ingest remembers between runs, committed with the archive.
 * - ids: the id of every branch it ever wrote, so re-ingesting never renumbers;
 * - fingerprints: the git facts each folder was made from, so unchanged branches are skipped;
 * - file hashes: what it wrote, so a file a person changed is recognised and left alone.
 * Keys are stable: `merge:<sha>` for a merged branch, `open:<name>` for an open one,
 * `closed:<name>@<head>` for one whose ref went away unmerged.
 */
export const INGEST_STATE_FILE = '.ingest-state.json';

export const ingestEntrySchema = z.strictObject({
  id: z.int().positive(),
  /** Folder under branches/, e.g. `12-fix-login`. */
  folder: z.string().min(1),
  name: z.string(),
  head: z.string(),
  updated: z.string(),
  /** Hash of the git facts the folder was written from; empty while the folder is still to be written. */
  fingerprint: z.string(),
  /** Path inside the folder → hash of the text ingest wrote there. */
  files: z.record(z.string(), z.string()),
});

export const ingestStateSchema = z.strictObject({
  version: z.literal(1),
  /** The branch the archive was ingested from; another target needs another archive. */
  target: z.string().min(1),
  branches: z.record(z.string(), ingestEntrySchema),
});

export type IngestEntry = z.output<typeof ingestEntrySchema>;
export type IngestState = z.output<typeof ingestStateSchema>;

export function emptyState(target: string): IngestState {
  return { version: 1, target, branches: {} };
}

/** Parses the state file; problems name the file, field and line. */
export function parseIngestState(text: string, file: string): { state?: IngestState; problems: Problem[] } {
  const { data, problems } = parseStateFile(text, file, ingestStateSchema, 'delete it to start over (ids may then change)');
  return { state: data, problems };
}

/**
 * A state file (ingest's, or the importers' `.import-state.json`): JSON, checked against its
 * schema. `ifBroken` says what deleting it would cost, for the message about invalid JSON.
 */
export function parseStateFile<S extends z.ZodType>(text: string, file: string, schema: S, ifBroken: string): { data?: z.output<S>; problems: Problem[] } {
  try {
    JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, message: `is not valid JSON (${(error as Error).message}); restore it from version control or ${ifBroken}` }] };
  }
  // JSON is YAML: reading it as YAML gives every field its line for the messages.
  return validateYaml(schema, parseYamlSource(text, 1), file);
}

/** Sorted keys and a final newline: the same state always gives the same bytes. */
export function formatIngestState(state: IngestState): string {
  return formatStateFile({ version: state.version, target: state.target, branches: sortedEntries(state.branches) });
}

/** Branch entries by key, each one's files by path: a state's bytes never depend on the order work was done in. */
export function sortedEntries(branches: Record<string, IngestEntry>): Record<string, IngestEntry> {
  return Object.fromEntries(
    Object.keys(branches)
      .sort()
      .map((key) => {
        const entry = branches[key]!;
        return [key, { ...entry, files: Object.fromEntries(Object.keys(entry.files).sort().map((file) => [file, entry.files[file]!])) }];
      }),
  );
}

export function formatStateFile(state: object): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** A short, stable hash of a text: enough to tell whether a file is still what ingest wrote. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
