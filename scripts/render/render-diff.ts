import type { DiffFile, DiffLine, Hunk } from '../diff/types.ts';
import { tokensToHtml } from './html.ts';
import { tokenizeLines, type Token } from './highlighter.ts';

/** Tokens for every line of every hunk of a file: `[hunkIndex][lineIndex]`. */
export type FileTokens = Token[][][];

/**
 * Highlights a file's hunks. Each hunk's old side (context + deleted lines) and new side
 * (context + added lines) are tokenized as continuous code, so a comment or string that
 * spans lines keeps its colour on either side.
 */
export async function highlightFileHunks(file: DiffFile, language: string): Promise<FileTokens> {
  return Promise.all(file.hunks.map((hunk) => highlightHunk(hunk, language)));
}

async function highlightHunk(hunk: Hunk, language: string): Promise<Token[][]> {
  const oldSide = hunk.lines.filter((line) => line.kind !== 'add');
  const newSide = hunk.lines.filter((line) => line.kind !== 'del');
  const [oldTokens, newTokens] = await Promise.all([
    tokenizeLines(oldSide.map((line) => line.text), language),
    tokenizeLines(newSide.map((line) => line.text), language),
  ]);
  let oldIndex = 0;
  let newIndex = 0;
  return hunk.lines.map((line) => {
    if (line.kind === 'del') return oldTokens[oldIndex++]!;
    if (line.kind === 'add') return newTokens[newIndex++]!;
    oldIndex++;
    return newTokens[newIndex++]!;
  });
}

const SIGNS = { add: '+', del: '-', context: ' ' } as const;
const ROW_CLASSES = { add: 'line add', del: 'line del', context: 'line ctx' } as const;

export interface RowOptions {
  /**
   * Prefix of line anchors (the file's anchor): old lines get `<prefix>-L<n>`, new lines
   * `<prefix>-R<n>`, and each line number links to its anchor. Omitted for evidence copies,
   * whose lines link to the full diff instead of carrying ids of their own.
   */
  anchorPrefix?: string;
  /** Where line numbers link to when there are no anchors here (the full diff's file anchor). */
  linkPrefix?: string;
}

/** Renders diff lines as `<tr>` rows of a diff table: old number, new number, sign, code. */
export function renderRows(lines: readonly DiffLine[], tokens: readonly Token[][], options: RowOptions = {}): string {
  let html = '';
  lines.forEach((line, index) => {
    const lineTokens = tokens[index] ?? [{ content: line.text }];
    html += `<tr class="${ROW_CLASSES[line.kind]}">`;
    html += lineNumberCell('ln-old', line.oldLine, 'L', options);
    html += lineNumberCell('ln-new', line.newLine, 'R', options);
    html += `<td class="sign">${SIGNS[line.kind]}</td><td class="code">${tokensToHtml(lineTokens)}</td></tr>`;
    if (line.noNewlineAtEnd) {
      html += '<tr class="line no-newline"><td class="ln"></td><td class="ln"></td><td class="sign"></td><td class="code">\\ No newline at end of file</td></tr>';
    }
  });
  return html;
}

function lineNumberCell(className: string, lineNumber: number | undefined, side: 'L' | 'R', options: RowOptions): string {
  if (lineNumber === undefined) return `<td class="ln ${className}"></td>`;
  if (options.anchorPrefix) {
    const id = `${options.anchorPrefix}-${side}${lineNumber}`;
    return `<td class="ln ${className}" id="${id}"><a href="#${id}">${lineNumber}</a></td>`;
  }
  if (options.linkPrefix) {
    return `<td class="ln ${className}"><a href="#${options.linkPrefix}-${side}${lineNumber}">${lineNumber}</a></td>`;
  }
  return `<td class="ln ${className}">${lineNumber}</td>`;
}
