import { findFile, shortList } from '../diff/resolve-evidence.ts';
import { parseHunkHeader } from '../diff/parse-patch.ts';
import { displayPath, type DiffFile, type DiffLine, type Hunk, type ParsedPatch } from '../diff/types.ts';
import type { Thread, ThreadSide } from '../schema/discussion.ts';
import type { Problem } from '../build/report.ts';
import type { YamlSource } from '../archive/yaml-source.ts';

/**
 * Where threads hang in a diff. The renderer asks, for every row it writes, "what hangs under this
 * row?": a map from (side, line) to threads per file, built once, so placing 2,000 comments costs
 * 2,000 map entries, not a search of the rendered HTML.
 */
export interface ThreadPlacement {
  /** Per file of the diff (by index), `old:<n>` / `new:<n>` to the threads (indices into the discussion's threads) under that row. */
  byFile: Array<Map<string, number[]>>;
  /** Thread index to the file it sits in, for threads placed in the diff (outdated ones are not). */
  fileOf: Map<number, number>;
}

const rowKey = (side: ThreadSide, line: number) => `${side}:${line}`;

/** The line number a diff line has on one side, if it is on that side at all. */
export function lineOnSide(line: DiffLine, side: ThreadSide): number | undefined {
  return side === 'new' ? line.newLine : line.oldLine;
}

/** Threads that are not outdated, keyed by the row of their `line` (the last line of a range). */
export function placeThreads(patch: ParsedPatch, threads: readonly Thread[]): ThreadPlacement {
  const byFile = patch.files.map(() => new Map<string, number[]>());
  const fileOf = new Map<number, number>();
  const indexOfFile = new Map(patch.files.map((file, index) => [file, index]));
  threads.forEach((thread, index) => {
    if (thread.outdated) return;
    const file = findFile(patch, thread.file);
    if (!file) return;
    const fileIndex = indexOfFile.get(file)!;
    const key = rowKey(thread.side, thread.line);
    const list = byFile[fileIndex]!.get(key);
    if (list) list.push(index);
    else byFile[fileIndex]!.set(key, [index]);
    fileOf.set(index, fileIndex);
  });
  return { byFile, fileOf };
}

/** The threads under one row of a file, in the order the discussion lists them (old side first). */
export function threadsUnder(placement: ThreadPlacement, fileIndex: number, line: DiffLine): number[] {
  const map = placement.byFile[fileIndex];
  if (!map || map.size === 0) return [];
  const old = line.oldLine === undefined ? undefined : map.get(rowKey('old', line.oldLine));
  // A context line has both numbers: a thread on either side hangs under it.
  const added = line.newLine === undefined ? undefined : map.get(rowKey('new', line.newLine));
  if (!old) return added ?? [];
  return added ? [...old, ...added] : old;
}

/** Whether some hunk of the file has `line` on `side`. */
function hasLine(file: DiffFile, side: ThreadSide, line: number): boolean {
  return file.hunks.some((hunk) => {
    const [start, count] = side === 'new' ? [hunk.newStart, hunk.newLines] : [hunk.oldStart, hunk.oldLines];
    return count > 0 && line >= start && line < start + count;
  });
}

function coverage(file: DiffFile, side: ThreadSide): string {
  const ranges = file.hunks
    .map((hunk) => (side === 'new' ? [hunk.newStart, hunk.newLines] : [hunk.oldStart, hunk.oldLines]) as [number, number])
    .filter(([, count]) => count > 0)
    .map(([start, count]) => (count === 1 ? `${start}` : `${start}-${start + count - 1}`));
  if (file.hunks.length === 0) return `${displayPath(file)} has no hunks`;
  if (ranges.length === 0) return `the hunks of ${displayPath(file)} have no ${side} lines`;
  return `the hunks of ${displayPath(file)} cover ${side} lines ${shortList(ranges)}`;
}

/**
 * The rules a discussion must keep against its diff: a thread that is not outdated names a file of
 * the diff and a line on that side of one of its hunks; an outdated one carries a hunk to show.
 */
export function checkThreads(patch: ParsedPatch, threads: ReadonlyArray<readonly [index: number, thread: Thread]>, file: string, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  threads.forEach(([index, thread]) => {
    const at = (field: string) => ({ file, line: source.lineOf(['threads', index, field]), field: `threads[${index}].${field}` });
    if (thread.outdated) {
      if (thread.hunk && !parseHunkHeader(thread.hunk.trimStart().split('\n', 1)[0]!)) {
        problems.push({ ...at('hunk'), message: 'must start with a hunk header such as "@@ -604,7 +595,36 @@", then the hunk\'s lines' });
      }
      return;
    }
    const diffFile = findFile(patch, thread.file);
    if (!diffFile) {
      const files = patch.files.length === 0 ? 'the diff has no files' : `files: ${shortList(patch.files.map(displayPath))}`;
      problems.push({ ...at('file'), message: `"${thread.file}" is not in the diff (${files}); a thread on a file no longer in the diff needs outdated: true and its hunk` });
      return;
    }
    if (!hasLine(diffFile, thread.side, thread.line)) {
      problems.push({ ...at('line'), message: `${thread.side} line ${thread.line} is not in any hunk: ${coverage(diffFile, thread.side)} (set outdated: true and add its hunk if the line has gone)` });
    }
  });
  return problems;
}

/**
 * An outdated thread's hunk, as the archive recorded it: a header, then lines numbered from it.
 * Lenient on purpose: a hunk copied from a review tool may be cut short, and it is shown as it is.
 */
export function parseStoredHunk(text: string): Hunk | undefined {
  const [first = '', ...rest] = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const header = parseHunkHeader(first.trim());
  if (!header) return undefined;
  let oldLine = header.oldStart;
  let newLine = header.newStart;
  const lines: DiffLine[] = [];
  for (const raw of rest) {
    if (raw.startsWith('\\')) continue;
    const sign = raw[0];
    const text = raw.slice(1);
    if (sign === '+') lines.push({ kind: 'add', text, newLine: newLine++ });
    else if (sign === '-') lines.push({ kind: 'del', text, oldLine: oldLine++ });
    else lines.push({ kind: 'context', text: sign === ' ' ? text : raw, oldLine: oldLine++, newLine: newLine++ });
  }
  return { header: first.trim(), oldStart: header.oldStart, oldLines: header.oldLines, newStart: header.newStart, newLines: header.newLines, context: header.context, lines };
}

/** The lines a thread comments on (start_line..line on its side), in diff order: what a suggestion replaces. */
export function commentedLines(lines: readonly DiffLine[], thread: Pick<Thread, 'side' | 'line' | 'start_line'>): DiffLine[] {
  const from = thread.start_line ?? thread.line;
  return lines.filter((line) => {
    const number = lineOnSide(line, thread.side);
    return number !== undefined && number >= from && number <= thread.line;
  });
}
