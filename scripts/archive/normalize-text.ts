/**
 * Text as a person's editor may have saved it: a UTF-8 byte order mark and Windows line endings are
 * accepted everywhere, so they are removed before anything reads the text. Lines keep their numbers.
 */
export function normalizeText(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
}
