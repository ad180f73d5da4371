import type { SgrState } from './sgr-states.ts';

/**
 * Plain log lines, read from their bytes. Most lines of most logs are printable ASCII with no
 * escape but SGR styling, no control character, no marker and nothing that looks like an error:
 * for them the terminal layer has little to do (their text is their bytes between the SGR
 * sequences, whose effect is a lookup in the log's SgrTable), so log-view.ts and render-log.ts
 * take them without a string, a regular expression or a model per line. Whatever this module does not call plain goes the general way (parse-line.ts),
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
/** ESC: plain only as an SGR sequence (`ESC[1;32m`). */
const ESCAPE = 4;
/** The first byte of a multi-byte UTF-8 character: plain when the character is well formed and no C1 control. */
const MULTI_BYTE = 5;
/** A carriage return: plain when the text after the last one covers all the text before it (a progress bar's final state). */
const CARRIAGE_RETURN = 6;

const BYTE_CLASS = new Uint8Array(256).fill(NOT_PLAIN);
for (let byte = 0x20; byte <= 0x7e; byte++) BYTE_CLASS[byte] = ORDINARY;
BYTE_CLASS[0x09] = ORDINARY;
for (const ch of '&<>"\'') BYTE_CLASS[ch.charCodeAt(0)] = ESCAPED;
for (const ch of 'RrFTp') BYTE_CLASS[ch.charCodeAt(0)] = MAYBE_ERROR;
BYTE_CLASS[0x1b] = ESCAPE;
for (let byte = 0xc2; byte <= 0xf4; byte++) BYTE_CLASS[byte] = MULTI_BYTE;
BYTE_CLASS[0x0d] = CARRIAGE_RETURN;

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

/**
 * Whether `rest` follows at `at`, or may: an SGR sequence there could split a word of the text
 * (`FA\x1b[0mIL`), so reaching one counts as a match and the line goes the general way.
 */
const follows = (bytes: Uint8Array, at: number, end: number, rest: number[]): boolean => {
  if (at + rest.length > end) return false;
  for (let i = 0; i < rest.length; i++) {
    const byte = bytes[at + i];
    if (byte === 0x1b) return true;
    if (byte !== rest[i]) return false;
  }
  return true;
};

/** Where an SGR sequence (`ESC[` digits and `;` `m`) starting at `at` ends, or -1 when there is none. */
export function sgrEnd(bytes: Uint8Array, at: number, end: number): number {
  if (bytes[at + 1] !== 0x5b /* [ */) return -1;
  for (let i = at + 2; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 0x6d /* m */) return i + 1;
    if (!(isDigit(byte) || byte === 0x3b /* ; */)) return -1;
  }
  return -1;
}

/**
 * Where a well-formed UTF-8 character starting at `at` (a byte of 0xC2 to 0xF4) ends, or -1 when
 * it is not well formed (TextDecoder would give U+FFFD), or is a C1 control (U+0080 to U+009F,
 * which the terminal layer drops): the ranges of the Unicode Standard's table 3-7.
 */
export function utf8End(bytes: Uint8Array, at: number, end: number): number {
  if (at + 1 >= end) return -1;
  const lead = bytes[at]!;
  const second = bytes[at + 1]!;
  if (lead < 0xe0) return (lead === 0xc2 ? second >= 0xa0 : second >= 0x80) && second <= 0xbf ? at + 2 : -1;
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return -1;
  const length = lead < 0xf0 ? 3 : 4;
  if (at + length > end) return -1;
  for (let i = at + 2; i < at + length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x80 || byte > 0xbf) return -1;
  }
  return at + length;
}

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

/**
 * A plain line's text start, whether its text has characters to escape, SGR sequences, multi-byte
 * characters, carriage returns: packed in one number, as plainTextStart returns it.
 */
export const textStartOf = (plain: number) => plain >>> 4;
export const needsEscaping = (plain: number) => (plain & 1) === 1;
export const isStyled = (plain: number) => (plain & 2) === 2;
/** Its bytes are UTF-8 with multi-byte characters (as text: decoded as UTF-8, not Latin-1). */
export const isMultiByte = (plain: number) => (plain & 4) === 4;
/** It has carriage returns: what a reader sees is its text after the last one (overwriteStart). */
export const overwrites = (plain: number) => (plain & 8) === 8;

/** Byte offsets of a plain line must fit the packed number (log chunks are far smaller). */
const MAX_OFFSET = 1 << 27;

/**
 * Whether the line `bytes[start, end)` is plain: every byte printable ASCII or a tab, a
 * well-formed UTF-8 character (no C1 control), a carriage return when the text after the last
 * one is at least as wide as any before it (then it overwrites all of them: a progress bar
 * redrawn, whose final state is what a reader sees), or ESC
 * starting an SGR sequence (digits and `;` only: a styled line, whose text is its bytes between
 * them, see stateAfter and forEachPiece); after
 * GitHub's timestamp (and its space) no `#` or `[` that could begin a `##[command]` or
 * `[command]`, no GitLab `section_`; and nothing isErrorLine could take for an error. A bare
 * timestamp (no space, no text) is not plain: its text file line gets a space the bytes lack.
 *
 * @returns -1 when not plain; else where its text starts (after the timestamp's space), whether
 *   it has `& < > " '` to escape, SGR sequences, multi-byte characters and carriage returns,
 *   packed (read them with textStartOf, needsEscaping, isStyled, isMultiByte and overwrites)
 */
export function plainTextStart(bytes: Uint8Array, start: number, end: number): number {
  if (end >= MAX_OFFSET) return -1;
  let escaped = 0;
  let styled = 0;
  let multiByte = 0;
  let carriageReturn = 0;
  for (let i = start; i < end; i++) {
    const kind = BYTE_CLASS[bytes[i]!]!;
    if (kind === ORDINARY) continue;
    if (kind === NOT_PLAIN) return -1;
    if (kind === ESCAPED) escaped = 1;
    else if (kind === ESCAPE) {
      const after = sgrEnd(bytes, i, end);
      if (after === -1) return -1;
      styled = 2;
      i = after - 1;
    } else if (kind === MULTI_BYTE) {
      const after = utf8End(bytes, i, end);
      if (after === -1) return -1;
      multiByte = 4;
      i = after - 1;
    } else if (kind === CARRIAGE_RETURN) carriageReturn = 8;
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
  if (carriageReturn && !lastPartCovers(bytes, text, end)) return -1;
  return (text << 4) | carriageReturn | multiByte | styled | escaped;
}

/**
 * Whether the text after the last carriage return of `bytes[text, end)` is at least as wide, in
 * characters (SGR sequences take no room), as each part before it: then it overwrites them all,
 * and the row a terminal shows is that last part alone, in the styles it is written in.
 */
function lastPartCovers(bytes: Uint8Array, text: number, end: number): boolean {
  let widest = 0;
  let width = 0;
  for (let i = text; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 0x1b) i = sgrEnd(bytes, i, end) - 1;
    else if (byte === 0x0d) {
      if (width > widest) widest = width;
      width = 0;
    } else if (byte < 0x80 || byte > 0xbf) width++;
  }
  return width >= widest;
}

/** Where what a reader sees of a plain line with carriage returns starts: after its last one. */
export function overwriteStart(bytes: Uint8Array, text: number, end: number): number {
  let at = end;
  while (at > text && bytes[at - 1] !== 0x0d) at--;
  return at;
}

/** The next ESC of a styled plain line at or after `at`, or `end`. */
function nextEscape(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && bytes[at] !== 0x1b) at++;
  return at;
}

/**
 * The SGR state after a styled plain line's sequences, from `from` (each looked up in its table,
 * as walkEscapes does); undefined when one of them shows text (anser prints what it cannot parse):
 * then the line goes the general way.
 */
export function stateAfter(bytes: Buffer, text: number, end: number, from: SgrState): SgrState | undefined {
  let state = from;
  for (let i = nextEscape(bytes, text, end); i < end; i = nextEscape(bytes, i, end)) {
    const after = sgrEnd(bytes, i, end);
    const transition = state.table.applyBytes(state, bytes, i, after);
    if (transition.shown) return undefined;
    state = transition.state;
    i = after;
  }
  return state;
}

/** Calls `piece` with each run of text between a styled plain line's SGR sequences (none empty) and the state it is in. */
export function forEachPiece(bytes: Buffer, text: number, end: number, from: SgrState, piece: (start: number, end: number, state: SgrState) => void): void {
  let state = from;
  let last = text;
  for (let i = nextEscape(bytes, text, end); i < end; i = nextEscape(bytes, last, end)) {
    if (i > last) piece(last, i, state);
    last = sgrEnd(bytes, i, end);
    state = state.table.applyBytes(state, bytes, i, last).state;
  }
  if (end > last) piece(last, end, state);
}

const SECTION_REST = [...'ection_'].map((ch) => ch.charCodeAt(0));
