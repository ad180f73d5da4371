import type { HighlightedFile } from './highlight-file.ts';
import { invisibleCharactersNote } from './invisible-characters.ts';
import { MAX_TOKENIZED_LINE, SKIPPED_CLASSES, type SkipReason } from './tokenizer.ts';

export type SkippedLines = Record<SkipReason, number>;

/** How many lines of highlighted code were shown plain on purpose, by reason. */
export function countSkippedLines(highlighted: HighlightedFile): SkippedLines {
  const count: SkippedLines = { long: 0, slow: 0 };
  const starts = Object.entries(SKIPPED_CLASSES).map(([reason, cls]) => [reason as SkipReason, `<span class=${cls}>`] as const);
  for (const hunk of highlighted) {
    for (const html of hunk) {
      for (const [reason, start] of starts) if (html.startsWith(start)) count[reason]++;
    }
  }
  return count;
}

const lines = (count: number) => (count === 1 ? '1 line is' : `${count.toLocaleString('en-US')} lines are`);

export function skippedLinesNote(count: SkippedLines): string | undefined {
  const reasons = [
    count.long ? `${lines(count.long)} longer than ${MAX_TOKENIZED_LINE.toLocaleString('en-US')} characters` : '',
    count.slow ? `${lines(count.slow)} too slow for the highlighter's time budget` : '',
  ].filter(Boolean);
  return reasons.length ? `Shown without highlighting: ${reasons.join('; ')}.` : undefined;
}

/** The warnings above a diff file: invisible characters in its lines, lines left unhighlighted. */
export function fileNotes(lineTexts: readonly string[], highlighted: HighlightedFile): string[] | undefined {
  const notes = [invisibleCharactersNote(lineTexts), skippedLinesNote(countSkippedLines(highlighted))].filter((note): note is string => note !== undefined);
  return notes.length ? notes : undefined;
}
