import { createHash } from 'node:crypto';
import type { DiffLine } from '../diff/types.ts';

/**
 * Diff rows are the bulk of every page (hundreds of thousands of lines in a big archive), so their
 * markup is as small as HTML allows: optional end tags are left out, attribute values unquoted, the
 * row kind is one letter and the cells are known by position (old number, new number, sign, code).
 * The stylesheet documents the letters: `a` added, `d` deleted, `c` context, `n` no-newline note.
 */
const SIGNS = { add: '+', del: '-', context: ' ' } as const;
const ROW_KINDS = { add: 'a', del: 'd', context: 'c' } as const;

export interface RowOptions {
  /**
   * The file's line-anchor prefix (see lineAnchorPrefix): old lines get `<prefix>L<n>`, new lines
   * `<prefix>R<n>`, and each line number links to its anchor. Omitted for evidence copies, whose
   * line numbers link to the full diff instead of carrying ids of their own.
   */
  anchorPrefix?: string;
  /**
   * Where line numbers link to when there are no anchors here: the full diff's line anchors, as
   * `#<prefix>` or, for a file on a page of its own, `files/<n>/#<prefix>`.
   */
  linkPrefix?: string;
  /** Rows to put under a line (review threads): asked once per line, so it should be a lookup. */
  after?: (line: DiffLine) => string;
}

/**
 * A short, stable prefix for the line anchors of a file, derived from its path: permalinks survive
 * rebuilds and edits elsewhere in the diff. `taken` holds the prefixes already used on the page.
 */
export function lineAnchorPrefix(path: string, taken: Set<string>): string {
  const hash = createHash('sha1').update(path).digest('hex');
  let length = 6;
  let prefix = `f${hash.slice(0, length)}`;
  while (taken.has(prefix) && length < hash.length) prefix = `f${hash.slice(0, ++length)}`;
  taken.add(prefix);
  return prefix;
}

/**
 * Renders diff lines as `<tr>` rows of a diff table: old number, new number, sign, code.
 * `codeHtml[i]` is the highlighted inner HTML of `lines[i]`.
 */
export function renderRows(lines: readonly DiffLine[], codeHtml: readonly string[], options: RowOptions = {}): string {
  return renderRowsCut(lines, codeHtml, options, []).html;
}

/**
 * renderRows, and where in its HTML the rows of each line of `cutBefore` (ascending indexes into
 * `lines`) start: the places a long hunk is cut into tables (diff-tables.ts). A line's "no newline"
 * note and its threads come after it, so a cut before a line never parts them from theirs.
 */
export function renderRowsCut(lines: readonly DiffLine[], codeHtml: readonly string[], options: RowOptions, cutBefore: readonly number[]): { html: string; offsets: number[] } {
  let html = '';
  const offsets: number[] = [];
  lines.forEach((line, index) => {
    if (cutBefore[offsets.length] === index) offsets.push(html.length);
    html += `<tr class=${ROW_KINDS[line.kind]}>${numberCell(line.oldLine, 'L', options)}${numberCell(line.newLine, 'R', options)}<td>${SIGNS[line.kind]}<td>${codeHtml[index] ?? ''}`;
    if (line.noNewlineAtEnd) html += '<tr class=n><td><td><td><td>\\ No newline at end of file';
    if (options.after) html += options.after(line);
  });
  return { html, offsets };
}

function numberCell(lineNumber: number | undefined, side: 'L' | 'R', options: RowOptions): string {
  if (lineNumber === undefined) return '<td>';
  if (options.anchorPrefix) {
    const id = `${options.anchorPrefix}${side}${lineNumber}`;
    // Not a tab stop each (a big page had tens of thousands): the hunk's header link is its stop,
    // and the arrow keys move along its line numbers (src/scripts/diff-view.ts).
    return `<td id=${id}><a href=#${id} tabindex=-1>${lineNumber}</a>`;
  }
  // An evidence copy's stop is its caption link, as a hunk's is its header.
  if (options.linkPrefix) return `<td><a href=${options.linkPrefix}${side}${lineNumber} tabindex=-1>${lineNumber}</a>`;
  return `<td>${lineNumber}`;
}
