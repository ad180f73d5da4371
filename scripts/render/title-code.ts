import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

/** A piece of a title: its text, and whether it is the content of a code span. */
export interface TitlePiece {
  text: string;
  code: boolean;
}

const markdown = unified().use(remarkParse);

/**
 * Titles longer than this are shown as written: real ones are far shorter (GitHub stops pull
 * request titles at 256 characters), and one of 20,000 nested `>` took 3 s to parse, and a
 * title is drawn on several pages.
 */
export const MAX_PARSED_TITLE = 1000;

/**
 * A title (a branch's or a step's, often a commit subject) cut at its code spans: the one piece of
 * Markdown that titles carry in practice (`Fix \`ky.extend()\` not inheriting`, in 120 of ky's
 * 253 pull requests), and the one forges show as code in a title. The rest stays the text as
 * written: a `*`, `#`, `[x](y)` or a leading `1.` in a commit subject is not formatting. Code spans
 * are the ones remark's CommonMark parser finds, so runs of several backticks, unmatched ones and
 * backslashes follow the spec rather than rules of our own.
 */
export function titlePieces(title: string): TitlePiece[] {
  if (!title.includes('`') || title.length > MAX_PARSED_TITLE) return [{ text: title, code: false }];
  const spans: Array<{ start: number; end: number; text: string }> = [];
  try {
    visit(markdown.parse(title), 'inlineCode', (node) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined) spans.push({ start, end, text: node.value });
    });
  } catch {
    // Should the parser or the walker still run out of stack: the title as written.
    return [{ text: title, code: false }];
  }
  const pieces: TitlePiece[] = [];
  let written = 0;
  for (const span of spans) {
    if (span.start < written) continue;
    if (span.start > written) pieces.push({ text: title.slice(written, span.start), code: false });
    pieces.push({ text: span.text, code: true });
    written = span.end;
  }
  if (written < title.length) pieces.push({ text: title.slice(written), code: false });
  return pieces;
}
