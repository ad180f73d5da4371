import { wordChanges } from '../diff/word-diff.ts';
import type { DiffLineKind } from '../diff/types.ts';
import { plainLine, tokenizerFor } from './tokenizer.ts';

/** What highlighting needs of a diff file: its language and the kind and text of each hunk line. */
export interface HighlightRequest {
  language: string;
  hunks: Array<Array<{ kind: DiffLineKind; text: string }>>;
}

/** Inner HTML of each line's code cell, `[hunk][line]`. */
export type HighlightedFile = string[][];

/**
 * Highlights every line of a file's hunks once, with word-level marks on paired edits.
 *
 * Each hunk is read as two interleaved files: context and deleted lines continue the old file's
 * grammar state, context and added lines the new file's. A context line is tokenized once while
 * both states agree (nearly always) and only then twice, so multi-line strings and comments are
 * coloured right on both sides without doubling the work.
 */
export async function highlightFile(request: HighlightRequest): Promise<HighlightedFile> {
  const tokenizer = await tokenizerFor(request.language);
  return request.hunks.map((lines) => {
    const marks = wordChanges(lines as Parameters<typeof wordChanges>[0]);
    if (!tokenizer) return lines.map((line, i) => plainLine(line.text, marks.get(i)));
    let oldState = tokenizer.initialState();
    let newState = oldState;
    return lines.map((line, i) => {
      const lineMarks = marks.get(i);
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
