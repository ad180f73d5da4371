/**
 * `npm run bench -- --repo PATH [--target BRANCH]`: the archive a team would get of its own
 * history, made with `npm run ingest`, stands in for the generated corpus. Real histories differ
 * from the corpus where it matters for speed and memory: lock files and generated code in one
 * diff, a long tail of huge merges, and merges with nothing in them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePatch } from '../diff/parse-patch.ts';
import type { CorpusSummary } from './corpus.ts';

/** The ingest command line for `repo` into `content` (run by the bench like any other step, with its clock). */
export function ingestArgs(projectRoot: string, repo: string, content: string, target?: string): string[] {
  return [path.join(projectRoot, 'scripts/ingest/ingest.ts'), '--repo', path.resolve(repo), '--out', content, ...(target ? ['--target', target] : [])];
}

/**
 * What an archive holds, counted as the corpus generator counts its own: branches, changed files
 * and diff lines (the lines inside hunks). Reads one diff at a time, so a large history does not
 * sit in the bench's memory.
 */
export async function summarizeArchive(content: string): Promise<CorpusSummary & { emptyDiffs: number }> {
  const summary = { branches: 0, files: 0, diffLines: 0, emptyDiffs: 0 };
  for (const name of await readdir(path.join(content, 'branches'))) {
    const text = await readFile(path.join(content, 'branches', name, 'diff.patch'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    summary.branches++;
    if (!text.trim()) summary.emptyDiffs++;
    const parsed = parsePatch(text);
    if (!parsed.ok) continue;
    summary.files += parsed.patch.files.length;
    for (const file of parsed.patch.files) for (const hunk of file.hunks) summary.diffLines += hunk.lines.length;
  }
  return summary;
}
