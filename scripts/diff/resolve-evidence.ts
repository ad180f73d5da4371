import type { EvidenceSelector } from '../schema/step.ts';
import { parseHunkHeader } from './parse-patch.ts';
import { displayPath, type DiffFile, type DiffLine, type Hunk, type ParsedPatch } from './types.ts';

/** The part of a diff that a step's evidence selector points at. */
export interface ResolvedEvidence {
  ok: true;
  file: DiffFile;
  /** The hunk the selection lies in; for a line range, the whole hunk around the slice. */
  hunk: Hunk;
  hunkIndex: number;
  /** The selected lines: the whole hunk, or the slice covering a line range. */
  lines: DiffLine[];
  /** The hunk's real header, or for a line range a synthetic `@@ -x,y +a,b @@` describing the slice. */
  header: string;
}

export type ResolveResult = ResolvedEvidence | { ok: false; message: string };

/**
 * Finds the hunk or line range a selector names. The file may be named by its new path or,
 * for a deleted or renamed file, by its old path. Failures say what would be valid instead.
 */
export function resolveEvidence(patch: ParsedPatch, selector: EvidenceSelector): ResolveResult {
  const file = findFile(patch, selector.file);
  if (!file) {
    const files = patch.files.length === 0 ? 'the diff has no files' : `files: ${shortList(patch.files.map(displayPath))}`;
    return { ok: false, message: `file "${selector.file}" is not in the diff (${files})` };
  }
  return 'hunk' in selector ? resolveHunk(file, selector.hunk) : resolveLines(file, selector.lines);
}

/** A new path wins over an old one: after `a.ts` was renamed and a new `a.ts` added, "a.ts" is the new file. */
export function findFile(patch: ParsedPatch, path: string): DiffFile | undefined {
  return patch.files.find((file) => file.newPath === path) ?? patch.files.find((file) => file.oldPath === path);
}

function resolveHunk(file: DiffFile, selector: string): ResolveResult {
  const wanted = parseHunkHeader(selector);
  if (!wanted) {
    return { ok: false, message: `hunk "${selector}" is not a hunk header such as "@@ -193,6 +193,17 @@"` };
  }
  const hunkIndex = file.hunks.findIndex(
    (hunk) =>
      hunk.oldStart === wanted.oldStart &&
      hunk.oldLines === wanted.oldLines &&
      hunk.newStart === wanted.newStart &&
      hunk.newLines === wanted.newLines,
  );
  const hunk = file.hunks[hunkIndex];
  if (!hunk) {
    const hunks = file.hunks.length === 0 ? 'it has no hunks' : `its hunks: ${shortList(file.hunks.map(hunkRange))}`;
    return { ok: false, message: `hunk "${selector}" is not in ${displayPath(file)} (${hunks})` };
  }
  return { ok: true, file, hunk, hunkIndex, lines: hunk.lines, header: hunk.header };
}

function resolveLines(file: DiffFile, selector: number | string): ResolveResult {
  const range = parseLineRange(selector);
  if (!range) {
    return { ok: false, message: `lines "${selector}" is not a line or a range such as "12-30"` };
  }
  const { from, to } = range;
  if (from > to) {
    return { ok: false, message: `lines ${selector} run backwards: write the first line first, as in ${to}-${from}` };
  }
  const hunkIndex = file.hunks.findIndex((hunk) => hunk.newLines > 0 && from >= hunk.newStart && to <= lastNewLine(hunk));
  const hunk = file.hunks[hunkIndex];
  if (!hunk) {
    const what = from === to ? `line ${from} is not inside a hunk` : `lines ${from}-${to} are not inside one hunk`;
    return { ok: false, message: `${what} of ${displayPath(file)} (${describeCoverage(file)})` };
  }
  const { lines, header } = sliceHunk(hunk, from, to);
  return { ok: true, file, hunk, hunkIndex, lines, header };
}

function parseLineRange(selector: number | string): { from: number; to: number } | null {
  if (typeof selector === 'number') return Number.isInteger(selector) ? { from: selector, to: selector } : null;
  const match = /^(\d+)(?:-(\d+))?$/.exec(selector);
  if (!match) return null;
  const from = Number(match[1]);
  return { from, to: match[2] === undefined ? from : Number(match[2]) };
}

function lastNewLine(hunk: Hunk): number {
  return hunk.newStart + hunk.newLines - 1;
}

function describeCoverage(file: DiffFile): string {
  if (file.hunks.length === 0) return 'it has no hunks';
  const covering = file.hunks.filter((hunk) => hunk.newLines > 0);
  if (covering.length === 0) {
    // A deleted file, or only deletions: there is no new line to point at, but the hunk can be cited.
    return `its hunks only remove lines; cite a hunk instead, such as "${hunkRange(file.hunks[0]!)}"`;
  }
  const ranges = covering.map((hunk) =>
    hunk.newLines === 1 ? `${hunk.newStart}` : `${hunk.newStart}-${lastNewLine(hunk)}`,
  );
  return `its hunks cover new lines ${shortList(ranges)}`;
}

/**
 * The lines from the first to the last selected new line, with the deletions just before the
 * first one: in a diff, removed lines come right before the lines that replace them.
 */
function sliceHunk(hunk: Hunk, from: number, to: number): { lines: DiffLine[]; header: string } {
  const all = hunk.lines;
  let first = all.findIndex((line) => line.newLine !== undefined && line.newLine >= from);
  const last = all.findIndex((line) => line.newLine === to);
  while (first > 0 && all[first - 1]!.kind === 'del') first--;
  const lines = all.slice(first, last + 1);

  const oldCount = lines.filter((line) => line.kind !== 'add').length;
  const firstOld = lines.find((line) => line.oldLine !== undefined)?.oldLine;
  // Unified diffs give an empty side the number of the line it follows.
  const oldStart = firstOld ?? oldLineBefore(hunk, first);
  return { lines, header: `@@ -${oldStart},${oldCount} +${from},${to - from + 1} @@` };
}

function oldLineBefore(hunk: Hunk, index: number): number {
  for (let at = index - 1; at >= 0; at--) {
    const oldLine = hunk.lines[at]!.oldLine;
    if (oldLine !== undefined) return oldLine;
  }
  return hunk.oldLines > 0 ? hunk.oldStart - 1 : hunk.oldStart;
}

/** A hunk header without git's function context, as written in the patch. */
function hunkRange(hunk: Hunk): string {
  return parseHunkHeader(hunk.header)?.range ?? hunk.header;
}

/** Long lists would bury the message; five names are enough to see what was meant. */
export function shortList(items: string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}
