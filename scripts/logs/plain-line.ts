/**
 * Plain log lines, read from their bytes. Most lines of most logs are printable ASCII with no
 * escape, no control character, no marker and nothing that looks like an error: for them the
 * terminal layer has nothing to do (their text is their bytes, the style they start in carries
 * on), so log-view.ts and render-log.ts take them without a string, a regular expression or a
 * model per line. Whatever this module does not call plain goes the general way (parse-line.ts),
 * and the tests check that both ways give the same page and the same text for any bytes.
 */

/** What a byte can mean for a line that may be plain (a table: this runs for every byte of every log). */
const ORDINARY = 0;
/** Control characters and bytes of non-ASCII characters: the terminal layer or the decoder must see the line. */
const NOT_PLAIN = 1;
/** `& < > " '`: escaped on the page. */
const ESCAPED = 2;
/** The first letters of what isErrorLine looks for (`ERROR`, `error`, `FAIL`, `Traceback`, `panicked at`). */
const MAYBE_ERROR = 3;

const BYTE_CLASS = new Uint8Array(256).fill(NOT_PLAIN);
for (let byte = 0x20; byte <= 0x7e; byte++) BYTE_CLASS[byte] = ORDINARY;
BYTE_CLASS[0x09] = ORDINARY;
for (const ch of '&<>"\'') BYTE_CLASS[ch.charCodeAt(0)] = ESCAPED;
for (const ch of 'RrFTp') BYTE_CLASS[ch.charCodeAt(0)] = MAYBE_ERROR;

/** What follows each first letter of MAYBE_ERROR for the line to go the general way (which then decides). */
const ERROR_RESTS: Record<number, number[]> = Object.fromEntries(
  [
    ['R', 'ROR'],
    ['r', 'ror'],
    ['F', 'AIL'],
    ['T', 'raceback'],
    ['p', 'anicked'],
  ].map(([first, rest]) => [first!.charCodeAt(0), [...rest!].map((ch) => ch.charCodeAt(0))]),
);

const follows = (bytes: Uint8Array, at: number, end: number, rest: number[]): boolean => {
  if (at + rest.length > end) return false;
  for (let i = 0; i < rest.length; i++) if (bytes[at + i] !== rest[i]) return false;
  return true;
};

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/**
 * Where GitHub's timestamp prefix (`2026-03-27T00:55:23.1234567Z`, as parse-line.ts's
 * GITHUB_TIMESTAMP) ends in a line, just after its `Z`; -1 when the line has none.
 */
export function timestampEnd(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return -1;
  // dddd-dd-ddTdd:dd:dd
  const shape = 'dddd-dd-ddTdd:dd:dd';
  for (let i = 0; i < shape.length; i++) {
    const byte = bytes[start + i];
    const want = shape.charCodeAt(i);
    if (want === 0x64 /* d */ ? !isDigit(byte) : byte !== want) return -1;
  }
  let at = start + 19;
  if (bytes[at] === 0x2e /* . */) {
    let digits = 0;
    while (at + 1 + digits < end && isDigit(bytes[at + 1 + digits])) digits++;
    if (digits < 1 || digits > 9) return -1;
    at += 1 + digits;
  }
  return at < end && bytes[at] === 0x5a /* Z */ ? at + 1 : -1;
}

/** A plain line's text start, and whether its text has characters to escape: packed in one number, as plainTextStart returns it. */
export const textStartOf = (plain: number) => plain >>> 1;
export const needsEscaping = (plain: number) => (plain & 1) === 1;

/**
 * Whether the line `bytes[start, end)` is plain: every byte printable ASCII or a tab; after
 * GitHub's timestamp (and its space) no `#` or `[` that could begin a `##[command]` or
 * `[command]`, no GitLab `section_`; and nothing isErrorLine could take for an error. A bare
 * timestamp (no space, no text) is not plain: its text file line gets a space the bytes lack.
 *
 * @returns -1 when not plain; else where its text starts (after the timestamp's space) and whether
 *   it has `& < > " '` to escape, packed (read them with textStartOf and needsEscaping)
 */
export function plainTextStart(bytes: Uint8Array, start: number, end: number): number {
  let escaped = 0;
  for (let i = start; i < end; i++) {
    const kind = BYTE_CLASS[bytes[i]!]!;
    if (kind === ORDINARY) continue;
    if (kind === NOT_PLAIN) return -1;
    if (kind === ESCAPED) escaped = 1;
    else if (follows(bytes, i + 1, end, ERROR_RESTS[bytes[i]!]!)) return -1;
  }
  let text = start;
  if (isDigit(bytes[start])) {
    const stamp = timestampEnd(bytes, start, end);
    if (stamp !== -1) {
      if (stamp === end) return -1;
      if (bytes[stamp] === 0x20) text = stamp + 1;
    }
  }
  if (text < end) {
    const first = bytes[text];
    if (first === 0x23 /* # */ || first === 0x5b /* [ */) return -1;
    if (first === 0x73 /* s */ && follows(bytes, text + 1, end, SECTION_REST)) return -1;
  }
  return (text << 1) | escaped;
}

const SECTION_REST = [...'ection_'].map((ch) => ch.charCodeAt(0));
