import { wordChanges } from '../diff/word-diff.ts';
import type { DiffLineKind } from '../diff/types.ts';
import { engineFor, plainLine, SKIPPED_CLASSES, skippedLine, tokenizerFor, type RegexEngine } from './tokenizer.ts';

/**
 * Milliseconds of grammar work (CPU time of this thread, so a busy machine does not count) a file
 * or code block of `lines` lines may take; past it, its remaining lines are shown plain. Ordinary
 * code takes well under 1 ms a line, so the budget (5 s, and 1 ms a line) is reached only by a
 * grammar that is stuck.
 */
export function fileTimeBudgetMs(lines: number): number {
  return 5000 + lines;
}

/** How often a worker tells the pool it is still moving (see the watchdog in highlight-pool.ts). */
const PROGRESS_EVERY_MS = 1000;

export function lineCount(request: HighlightRequest): number {
  return request.hunks.reduce((sum, hunk) => sum + hunk.length, 0);
}

/** What highlighting needs of a diff file: its language and the kind and text of each hunk line. */
export interface HighlightRequest {
  language: string;
  hunks: Array<Array<{ kind: DiffLineKind; text: string }>>;
  /**
   * The engine to tokenize with, when not the language's own (`engineFor`): the pool sets Oniguruma
   * for a file the JavaScript engine got stuck on.
   */
  engine?: RegexEngine;
}

/** Inner HTML of each line's code cell, `[hunk][line]`. */
export type HighlightedFile = string[][];

/** The whole file shown plain and marked as skipped: what a file gets when its worker had to be stopped. */
export function skippedFile(request: HighlightRequest): HighlightedFile {
  return request.hunks.map((lines) => {
    const marks = wordChanges(lines as Parameters<typeof wordChanges>[0]);
    return lines.map((line, i) => skippedLine(line.text, 'slow', marks.get(i)));
  });
}

/**
 * Highlights every line of a file's hunks once, with word-level marks on paired edits.
 *
 * Each hunk is read as two interleaved files: context and deleted lines continue the old file's
 * grammar state, context and added lines the new file's. A context line is tokenized once while
 * both states agree (nearly always) and only then twice, so multi-line strings and comments are
 * coloured right on both sides without doubling the work.
 *
 * A file the JavaScript regex engine does not finish within its time limits is highlighted again
 * with Oniguruma: that engine's few runaway scans are its own (Oniguruma finishes those lines), so
 * a line shown plain for time is one Oniguruma could not colour either, whichever engine went first.
 */
export async function highlightFile(
  request: HighlightRequest,
  budgetMs = fileTimeBudgetMs(lineCount(request)),
  onProgress?: () => void,
  engine: RegexEngine = request.engine ?? engineFor(request.language),
): Promise<HighlightedFile> {
  const lines = await highlightWith(request, budgetMs, onProgress, engine);
  if (engine === 'javascript' && hasSlowLines(lines)) return highlightWith(request, budgetMs, onProgress, 'oniguruma');
  return lines;
}

const slowLineStart = `<span class=${SKIPPED_CLASSES.slow}>`;
const hasSlowLines = (lines: HighlightedFile) => lines.some((hunk) => hunk.some((html) => html.startsWith(slowLineStart)));

async function highlightWith(request: HighlightRequest, budgetMs: number, onProgress: (() => void) | undefined, engine: RegexEngine): Promise<HighlightedFile> {
  const tokenizer = await tokenizerFor(request.language, engine);
  // Loading a grammar is not tokenizing: the pool's watchdog is told the file is moving again.
  onProgress?.();
  const cpuMs = () => process.threadCpuUsage().user / 1000;
  const deadline = cpuMs() + budgetMs;
  let overBudget = false;
  let lastProgress = performance.now();
  return request.hunks.map((lines) => {
    const marks = wordChanges(lines as Parameters<typeof wordChanges>[0]);
    if (!tokenizer) return lines.map((line, i) => plainLine(line.text, marks.get(i)));
    let oldState = tokenizer.initialState();
    let newState = oldState;
    return lines.map((line, i) => {
      const lineMarks = marks.get(i);
      overBudget ||= cpuMs() >= deadline;
      if (onProgress && performance.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = performance.now();
        onProgress();
      }
      if (overBudget) return skippedLine(line.text, 'slow', lineMarks);
      if (line.kind === 'del') {
        const result = tokenizer.line(line.text, oldState, lineMarks);
        oldState = result.state;
        return result.html;
      }
      const result = tokenizer.line(line.text, newState, lineMarks);
      if (line.kind === 'context') {
        oldState = tokenizer.sameState(oldState, newState) ? result.state : tokenizer.line(line.text, oldState).state;
      }
      newState = result.state;
      return result.html;
    });
  });
}
