import { diffWordsWithSpace } from 'diff';
import type { DiffLine } from './types.ts';

/** [start, end) character ranges of a line. */
export type Ranges = Array<[number, number]>;

/** Lines longer than this get no word-level marks: the comparison is quadratic and the result unreadable. */
const MAX_COMPARED_LENGTH = 1000;
/** Below this share of unchanged text the two lines are different lines, not an edit of one line. */
const MIN_SHARED = 0.4;

/**
 * Word-level changes between paired deleted and added lines. In each block of deletions followed
 * by additions, the n-th deleted line is paired with the n-th added line (as review tools do); a pair
 * gets marks only when it is recognisably one line edited. Returns the marks by line index.
 */
export function wordChanges(lines: readonly DiffLine[]): Map<number, Ranges> {
  const marks = new Map<number, Ranges>();
  let index = 0;
  while (index < lines.length) {
    if (lines[index]!.kind !== 'del') {
      index++;
      continue;
    }
    const delStart = index;
    while (index < lines.length && lines[index]!.kind === 'del') index++;
    const addStart = index;
    while (index < lines.length && lines[index]!.kind === 'add') index++;
    const pairs = Math.min(addStart - delStart, index - addStart);
    for (let n = 0; n < pairs; n++) {
      const changes = compareLines(lines[delStart + n]!.text, lines[addStart + n]!.text);
      if (!changes) continue;
      if (changes.removed.length) marks.set(delStart + n, changes.removed);
      if (changes.added.length) marks.set(addStart + n, changes.added);
    }
  }
  return marks;
}

/** The removed ranges of `before` and the added ranges of `after`, or undefined when not comparable. */
export function compareLines(before: string, after: string): { removed: Ranges; added: Ranges } | undefined {
  if (before === after || before.length > MAX_COMPARED_LENGTH || after.length > MAX_COMPARED_LENGTH) return undefined;
  const removed: Ranges = [];
  const added: Ranges = [];
  let beforeAt = 0;
  let afterAt = 0;
  let shared = 0;
  for (const part of diffWordsWithSpace(before, after)) {
    const length = part.value.length;
    if (part.removed) {
      pushRange(removed, beforeAt, beforeAt + length);
      beforeAt += length;
    } else if (part.added) {
      pushRange(added, afterAt, afterAt + length);
      afterAt += length;
    } else {
      shared += length;
      beforeAt += length;
      afterAt += length;
    }
  }
  if (shared < MIN_SHARED * Math.max(before.length, after.length)) return undefined;
  return { removed, added };
}

function pushRange(ranges: Ranges, start: number, end: number): void {
  const last = ranges.at(-1);
  if (last && last[1] === start) last[1] = end;
  else ranges.push([start, end]);
}
