/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most text (log lines, code) has none of them: a test is cheaper than a replace that finds nothing.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

const NEEDS_ESCAPE = /[&<>"']/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

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

