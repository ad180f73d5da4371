import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface RawLine {
  text: string;
  /** The line was longer than the limit and is cut there. */
  cut: boolean;
}

/**
 * The lines of a log file, a batch per chunk read (an await per line would cost more than most
 * lines), never the whole file as one string: logs can be hundreds of megabytes. Gzip when `gzip` is set. Invalid UTF-8 becomes U+FFFD; `\r\n` and `\n` end lines
 * (a lone `\r` stays in the line: it is the terminal's carriage return). A line longer than
 * `maxLineChars` is cut there, so one enormous line cannot exhaust memory.
 */
export async function* readLogLines(file: string, gzip: boolean, maxLineChars = 100_000): AsyncGenerator<RawLine[]> {
  let stream: Readable = createReadStream(file);
  if (gzip) stream = stream.pipe(createGunzip());
  yield* splitLines(decodeChunks(stream as AsyncIterable<Buffer>), maxLineChars);
}

/**
 * Decoded text of a stream of bytes; a BOM at the very start of the stream is dropped, and no other
 * U+FEFF. Dropped here rather than by TextDecoder, which, when the first chunk ends inside a UTF-8
 * sequence, also drops a U+FEFF right after that first character (bytes E0 | A0 80 EF BB BF).
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let atStart = true;
  const text = (decoded: string) => {
    if (!atStart || !decoded) return decoded;
    atStart = false;
    return decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
  };
  for await (const chunk of chunks) {
    const decoded = text(decoder.decode(chunk, { stream: true }));
    if (decoded) yield decoded;
  }
  const rest = text(decoder.decode());
  if (rest) yield rest;
}

/** Splits decoded text into lines, a batch per chunk (exported for tests: the same splitting for any source of chunks). */
export async function* splitLines(chunks: AsyncIterable<string> | Iterable<string>, maxLineChars = 100_000): AsyncGenerator<RawLine[]> {
  let pending = '';
  // While a line is over the limit: its kept start; the rest of it is skipped up to its end.
  let cutLine: string | undefined;
  const line = (text: string, cut: boolean): RawLine => ({ text: text.endsWith('\r') ? text.slice(0, -1) : text, cut });
  for await (const chunk of chunks) {
    const batch: RawLine[] = [];
    let start = 0;
    if (cutLine !== undefined) {
      const end = chunk.indexOf('\n');
      if (end === -1) continue;
      batch.push(line(cutLine, true));
      cutLine = undefined;
      start = end + 1;
    }
    pending += chunk.slice(start);
    start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end);
      batch.push(text.length > maxLineChars ? line(text.slice(0, maxLineChars), true) : line(text, false));
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineChars) {
      cutLine = pending.slice(0, maxLineChars);
      pending = '';
    }
    if (batch.length) yield batch;
  }
  if (cutLine !== undefined) yield [line(cutLine, true)];
  else if (pending) yield [line(pending, false)];
}

/**
 * A chunk of a log read as bytes, cut into lines. Most lines stay bytes, so that the lines a page
 * never shows (most of a long log) cost no string, no decoding and no regular expression
 * (log-view.ts reads plain ones straight from here, see plain-line.ts).
 */
export interface ByteLineBatch {
  bytes: Buffer;
  /**
   * Each line as its start and end in `bytes`, in pairs (without its `\n`, and a `\r` before it,
   * as splitLines gives it); a pair (-1, i) is `decoded[i]` instead.
   */
  bounds: number[];
  /** Lines longer than the limit in bytes, decoded and cut as splitLines cuts them. */
  decoded: RawLine[];
}

/** readLogLines' lines, as bytes (readLogLines is kept: it is the reference the tests compare with). */
export async function* readLogByteLines(file: string, gzip: boolean, maxLineChars = 100_000): AsyncGenerator<ByteLineBatch> {
  if (!gzip) {
    yield* splitByteLines(readChunksSync(file), maxLineChars);
    return;
  }
  yield* splitByteLines(createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>, maxLineChars);
}

/**
 * Bytes read at a time: most logs are read whole in one, and a huge one is never held whole. Not
 * more: a cut log keeps the chunk of each error line it shows from its middle (up to 50) alive.
 */
const READ_CHUNK = 1 << 18;

/**
 * A file's bytes in chunks, read synchronously: a log is read in a log worker (log-pool.ts), one
 * at a time, where a stream's promises and hand-offs to the thread pool cost more than the reads.
 * Each chunk is a buffer of its own (the lines shown keep theirs alive).
 */
function* readChunksSync(file: string): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    // Sized to the file when it is small: a 20 KB log need not keep a 256 KiB buffer alive.
    let size = Math.min(READ_CHUNK, fstatSync(fd).size + 1);
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      const read = readSync(fd, chunk, 0, size, null);
      if (read === 0) return;
      yield read < size ? chunk.subarray(0, read) : chunk;
      size = READ_CHUNK;
    }
  } finally {
    closeSync(fd);
  }
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Splits raw bytes into lines as splitLines splits their decoded text (the tests compare the two on
 * random bytes and chunks): `\n` ends a line and a `\r` before it is dropped; a BOM at the very
 * start is dropped, as TextDecoder drops it; a line of more than `maxLineChars` bytes is decoded
 * here and, when its text is longer than that, cut there, and the rest of it skipped unread, so one
 * enormous line never sits in memory. (A `\n` never lies inside a UTF-8 sequence, so decoding a
 * line alone gives the same text as decoding the whole file: an unfinished sequence before a `\n`
 * is one U+FFFD either way.)
 */
export async function* splitByteLines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxLineChars = 100_000): AsyncGenerator<ByteLineBatch> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const decode = (bytes: Uint8Array) => decoder.decode(bytes);
  // A line's text as splitLines makes it from its decoded characters (`\r` included).
  const lineText = (text: string): RawLine => {
    const cut = text.length > maxLineChars;
    const kept = cut ? text.slice(0, maxLineChars) : text;
    return { text: kept.endsWith('\r') ? kept.slice(0, -1) : kept, cut };
  };
  // Bytes enough for more than maxLineChars characters: a UTF-16 unit is at most 3 bytes of UTF-8.
  const cutBytes = 3 * maxLineChars + 4;
  let pending: Buffer = Buffer.alloc(0);
  /** The start of the file, until the BOM question is settled (fewer than 3 bytes read). */
  let atStart = true;
  /** A cut line's rest is being skipped up to its `\n`. */
  let skipping = false;
  for await (const chunk of chunks) {
    let bytes = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (atStart) {
      if (bytes.length < 3 && BOM.slice(0, bytes.length).every((byte, i) => bytes[i] === byte)) {
        pending = Buffer.from(bytes);
        continue;
      }
      atStart = false;
      if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) bytes = bytes.subarray(3);
    }
    const batch: ByteLineBatch = { bytes, bounds: [], decoded: [] };
    let start = 0;
    if (skipping) {
      const end = bytes.indexOf(NEWLINE);
      if (end === -1) {
        pending = Buffer.alloc(0);
        continue;
      }
      skipping = false;
      start = end + 1;
    }
    for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      if (end - start > maxLineChars) {
        batch.bounds.push(-1, batch.decoded.length);
        batch.decoded.push(lineText(decode(bytes.subarray(start, end))));
      } else {
        batch.bounds.push(start, end > start && bytes[end - 1] === CR ? end - 1 : end);
      }
      start = end + 1;
    }
    pending = bytes.subarray(start);
    if (pending.length >= cutBytes) {
      // More than maxLineChars characters without a line break: the line is cut, its rest skipped.
      batch.bounds.push(-1, batch.decoded.length);
      batch.decoded.push(lineText(decode(pending.subarray(0, cutBytes)).slice(0, maxLineChars + 1)));
      skipping = true;
      pending = Buffer.alloc(0);
    } else if (pending.length) {
      // Copied: kept past this batch, it would keep the whole chunk alive.
      pending = Buffer.from(pending);
    }
    if (batch.bounds.length) yield batch;
  }
  if (pending.length && !skipping) {
    const last: ByteLineBatch = { bytes: pending, bounds: [], decoded: [] };
    if (pending.length > maxLineChars) {
      last.bounds.push(-1, 0);
      last.decoded.push(lineText(decode(pending)));
    } else {
      last.bounds.push(0, pending[pending.length - 1] === CR ? pending.length - 1 : pending.length);
    }
    yield last;
  }
}
