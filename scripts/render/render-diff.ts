import type { DiffLine } from '../diff/types.ts';

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

/**
 * Renders diff lines as `<tr>` rows of a diff table: old number, new number, sign, code.
 * `codeHtml[i]` is the highlighted inner HTML of `lines[i]`.
 */
export function renderRows(lines: readonly DiffLine[], codeHtml: readonly string[], options: RowOptions = {}): string {
  let html = '';
  lines.forEach((line, index) => {
    html += `<tr class="${ROW_CLASSES[line.kind]}">`;
    html += lineNumberCell('ln-old', line.oldLine, 'L', options);
    html += lineNumberCell('ln-new', line.newLine, 'R', options);
    html += `<td class="sign">${SIGNS[line.kind]}</td><td class="code">${codeHtml[index] ?? ''}</td></tr>`;
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
