/**
 * "Trojan source" characters: direction controls reorder how a line is displayed without changing
 * what a compiler reads (a U+202E inside a comment can make code look commented out), and zero-width
 * characters hide differences between names. Code and diff lines show each one as a visible label,
 * as GitHub does, and the file carries a warning.
 */
const BIDI_CONTROLS = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const ZERO_WIDTH = '\u200b\u2060\ufeff';
const INVISIBLE = new RegExp(`[${BIDI_CONTROLS}${ZERO_WIDTH}]`, 'g');
const INVISIBLE_TEST = new RegExp(`[${BIDI_CONTROLS}${ZERO_WIDTH}]`);
const BIDI_TEST = new RegExp(`[${BIDI_CONTROLS}]`);

export const INVISIBLE_CLASS = 'invisible-char';

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE_TEST.test(text);
}

/** `U+202E` */
export function codePointLabel(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Replaces each invisible character of already escaped HTML text by a visible label. The character
 * itself is left out: kept, it would still reorder the text around its label.
 */
export function markInvisibleCharacters(escapedHtml: string): string {
  if (!INVISIBLE_TEST.test(escapedHtml)) return escapedHtml;
  return escapedHtml.replace(INVISIBLE, (char) => `<span class=${INVISIBLE_CLASS}>${codePointLabel(char)}</span>`);
}

/** The warning for a file whose lines hold such characters, or undefined. */
export function invisibleCharactersNote(lines: Iterable<string>, what: 'file' | 'code block' = 'file'): string | undefined {
  let bidi = false;
  let any = false;
  for (const line of lines) {
    if (!INVISIBLE_TEST.test(line)) continue;
    any = true;
    if (BIDI_TEST.test(line)) {
      bidi = true;
      break;
    }
  }
  if (!any) return undefined;
  return bidi
    ? `This ${what} contains bidirectional Unicode characters, which can make text read differently from what a compiler sees. Each is shown as a label such as U+202E.`
    : `This ${what} contains invisible Unicode characters (zero-width spaces and the like). Each is shown as a label such as U+200B.`;
}
