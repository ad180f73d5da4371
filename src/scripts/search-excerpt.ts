/** A piece of a result's excerpt: plain text, marked when it is a word that matched. */
export interface ExcerptPart {
  text: string;
  marked: boolean;
}

/**
 * Pagefind's excerpt of a record: the record's text with `<` and `>` escaped as `&lt;`/`&gt;`
 * (and nothing else: `&` stays as it is) and the matched words wrapped in `<mark>`. Split into
 * pieces for text nodes, so no text of the archive is ever parsed as HTML in the reader's browser.
 */
export function excerptParts(excerpt: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let from = 0;
  for (const match of excerpt.matchAll(/<mark>([\s\S]*?)<\/mark>/g)) {
    if (match.index > from) parts.push({ text: unescapeAngles(excerpt.slice(from, match.index)), marked: false });
    parts.push({ text: unescapeAngles(match[1]!), marked: true });
    from = match.index + match[0].length;
  }
  if (from < excerpt.length) parts.push({ text: unescapeAngles(excerpt.slice(from)), marked: false });
  return parts;
}

function unescapeAngles(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>');
}
