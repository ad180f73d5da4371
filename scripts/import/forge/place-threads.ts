import { displayPath, type DiffFile, type ParsedPatch } from '../../diff/types.ts';
import type { ForgeComment, ForgeThread } from './forge-branch.ts';

/** A thread as `discussion.yaml` holds it. */
export interface PlacedThread {
  file: string;
  side: 'new' | 'old';
  line: number;
  start_line?: number;
  resolved?: boolean;
  outdated?: boolean;
  hunk?: string;
  comments: ForgeComment[];
}

/**
 * Checks each forge thread against the diff the archive holds, so the build's own check
 * (a thread's line must be on its side of a hunk unless outdated) always passes:
 * - a thread on a line of the diff stays there;
 * - a thread the forge calls outdated, or whose file or line is not in our diff (another diff
 *   than the forge showed: a force-push, a missing commit), becomes outdated with the hunk it
 *   was made on;
 * - a comment on a whole file is placed on the file's first changed line;
 * - a thread that can be neither (no hunk to show) joins the conversation, saying where it was.
 * Pure. Notes say what was moved, for the import's summary.
 */
export function placeThreads(threads: readonly ForgeThread[], patch: ParsedPatch | undefined): { threads: PlacedThread[]; comments: ForgeComment[]; notes: string[] } {
  const placed: PlacedThread[] = [];
  const comments: ForgeComment[] = [];
  const notes: string[] = [];
  const byPath = new Map<string, DiffFile>();
  for (const file of patch?.files ?? []) {
    for (const name of [file.newPath, file.oldPath]) if (name !== null && !byPath.has(name)) byPath.set(name, file);
  }

  const toConversation = (thread: ForgeThread, where: string) => {
    const [first, ...replies] = thread.comments;
    if (!first) return;
    comments.push({ ...first, body: `On \`${thread.file}\`${where}:\n\n${first.body}` }, ...replies);
  };
  const asOutdated = (thread: ForgeThread, line: number): PlacedThread => ({
    file: thread.file,
    side: thread.side,
    line,
    ...(thread.start_line !== undefined && thread.start_line <= line ? { start_line: thread.start_line } : {}),
    ...(thread.resolved ? { resolved: true } : {}),
    outdated: true,
    hunk: thread.hunk!,
    comments: thread.comments,
  });

  for (const thread of threads) {
    if (thread.comments.length === 0) continue;
    const diffFile = byPath.get(thread.file);
    if (thread.line === undefined) {
      const first = diffFile ? firstChangedLine(diffFile) : undefined;
      if (first) placed.push({ file: displayPath(diffFile!), side: first.side, line: first.line, ...(thread.resolved ? { resolved: true } : {}), comments: thread.comments });
      else {
        toConversation(thread, ' (the whole file)');
        if (patch) notes.push(`a comment on ${thread.file} is on a file with no lines in the diff: kept in the conversation`);
      }
      continue;
    }
    const onDiff = !thread.outdated && diffFile !== undefined && hasLine(diffFile, thread.side, thread.line) && (thread.start_line === undefined || hasLine(diffFile, thread.side, thread.start_line));
    if (onDiff) {
      placed.push({
        file: thread.file,
        side: thread.side,
        line: thread.line,
        ...(thread.start_line !== undefined && thread.start_line < thread.line ? { start_line: thread.start_line } : {}),
        ...(thread.resolved ? { resolved: true } : {}),
        comments: thread.comments,
      });
      continue;
    }
    if (patch && !thread.outdated) {
      notes.push(diffFile ? `a comment on ${thread.file} line ${thread.line} (${thread.side} side) is not on a line of the diff: kept as outdated` : `a comment on ${thread.file} is on a file not in the diff: kept as outdated`);
    }
    if (thread.hunk?.trim()) placed.push(asOutdated(thread, thread.line));
    else toConversation(thread, ` line ${thread.line}${thread.side === 'old' ? ' (old side)' : ''}, no longer in the diff`);
  }
  return { threads: placed, comments, notes };
}

/** Whether `line` is on `side` of one of the file's hunks (the rule the build checks). */
export function hasLine(file: DiffFile, side: 'new' | 'old', line: number): boolean {
  return file.hunks.some((hunk) => {
    const [start, count] = side === 'new' ? [hunk.newStart, hunk.newLines] : [hunk.oldStart, hunk.oldLines];
    return line >= start && line < start + count;
  });
}

/** Where a comment on the whole file goes: its first added or deleted line. */
function firstChangedLine(file: DiffFile): { side: 'new' | 'old'; line: number } | undefined {
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === 'add' && line.newLine !== undefined) return { side: 'new', line: line.newLine };
      if (line.kind === 'del' && line.oldLine !== undefined) return { side: 'old', line: line.oldLine };
    }
  }
  return undefined;
}
