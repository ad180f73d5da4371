/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Inline style text for a token's theme variables; keys and values come from Shiki themes. */
export function styleAttribute(style: Record<string, string> | string | undefined): string {
  if (!style) return '';
  const text = typeof style === 'string' ? style : Object.entries(style).map(([k, v]) => `${k}:${v}`).join(';');
  return text ? ` style="${escapeHtml(text)}"` : '';
}

/**
 * Anchor-safe slug of a path or title: lower case, runs of other characters become one dash.
 * Stable across builds, so permalinks keep working.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'x';
}

/** Highlighted tokens as HTML: each coloured token a `<span>` carrying its theme variables. */
export function tokensToHtml(tokens: ReadonlyArray<{ content: string; htmlStyle?: Record<string, string> | string }>): string {
  let html = '';
  for (const token of tokens) {
    if (!token.content) continue;
    const text = escapeHtml(token.content);
    html += token.htmlStyle ? `<span${styleAttribute(token.htmlStyle)}>${text}</span>` : text;
  }
  return html;
}
